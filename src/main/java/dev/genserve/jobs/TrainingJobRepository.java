package dev.genserve.jobs;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Training jobs, filterable by status and model. */
public interface TrainingJobRepository extends JpaRepository<TrainingJob, UUID> {

    @Query("select j from TrainingJob j where (:status is null or j.status = :status)"
            + " and (:model is null or j.modelName = :model)")
    Page<TrainingJob> search(JobStatus status, String model, Pageable pageable);

    Optional<TrainingJob> findByIdempotencyKey(String idempotencyKey);
}
