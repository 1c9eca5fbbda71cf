package dev.genserve.registry;

import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Versions of models. */
public interface ModelVersionRepository extends JpaRepository<ModelVersion, UUID> {

    List<ModelVersion> findByModelIdOrderByVersionDesc(UUID modelId);

    Page<ModelVersion> findByModelId(UUID modelId, Pageable pageable);

    Optional<ModelVersion> findByModelIdAndVersion(UUID modelId, int version);

    Optional<ModelVersion> findFirstByModelIdOrderByVersionDesc(UUID modelId);

    Optional<ModelVersion> findByJobId(UUID jobId);

    @Query("select coalesce(max(v.version), 0) from ModelVersion v where v.modelId = :modelId")
    int maxVersion(UUID modelId);

    long countByModelId(UUID modelId);
}
