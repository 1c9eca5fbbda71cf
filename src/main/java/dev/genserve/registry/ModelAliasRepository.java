package dev.genserve.registry;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

/** Current aliases. */
public interface ModelAliasRepository extends JpaRepository<ModelAlias, ModelAlias.Key> {

    List<ModelAlias> findByModelIdOrderByAlias(UUID modelId);

    List<ModelAlias> findByVersionId(UUID versionId);
}
