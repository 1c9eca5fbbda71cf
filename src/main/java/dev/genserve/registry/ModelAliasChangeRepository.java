package dev.genserve.registry;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Alias history, newest first. */
public interface ModelAliasChangeRepository extends JpaRepository<ModelAliasChange, Long> {

    List<ModelAliasChange> findByModelIdAndAliasOrderByChangedAtDescIdDesc(UUID modelId, String alias);

    Page<ModelAliasChange> findByModelIdAndAlias(UUID modelId, String alias, Pageable pageable);

    /** The change in force at {@code at}: the newest one not after it. */
    Optional<ModelAliasChange> findFirstByModelIdAndAliasAndChangedAtLessThanEqualOrderByChangedAtDescIdDesc(
            UUID modelId, String alias, Instant at);
}
