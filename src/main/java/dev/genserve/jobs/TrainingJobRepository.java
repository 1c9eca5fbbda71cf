package dev.genserve.jobs;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Training jobs, filterable by status, model, name and tags. */
public interface TrainingJobRepository extends JpaRepository<TrainingJob, UUID> {

    String FILTER = " from training_job j where (cast(:status as varchar) is null or j.status = cast(:status as varchar))"
            + " and (cast(:model as varchar) is null or j.model_name = cast(:model as varchar))"
            + " and (cast(:name as varchar) is null or lower(j.name) like lower(cast(:name as varchar)) escape '\\')"
            + " and j.tags @> cast(:tags as jsonb)";

    /**
     * Jobs newest first, by status, model, a LIKE pattern on the name (null = any) and tags (a JSON array the
     * job's tags must contain; {@code []} = any).
     */
    @Query(value = "select j.*" + FILTER + " order by j.created_at desc, j.id",
            countQuery = "select count(*)" + FILTER, nativeQuery = true)
    Page<TrainingJob> search(String status, String model, String name, String tags, Pageable pageable);

    /** Jobs per family and status, for the operator metrics. */
    @Query(value = "select family, status, count(*) from training_job group by family, status", nativeQuery = true)
    java.util.List<Object[]> countByFamilyAndStatus();

    Optional<TrainingJob> findByIdempotencyKey(String idempotencyKey);
}
