package dev.genserve.registry;

import dev.genserve.errors.ConflictException;
import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.NotFoundException;
import java.time.Instant;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Models, their numbered immutable versions and their aliases. A version reference is a number, {@code latest},
 * or an alias name; alias moves are recorded so that "what did production point at on a given day" has an answer.
 */
@Service
public class ModelRegistry {

    private final ModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final ModelAliasChangeRepository aliasHistory;
    private final ArtifactStore artifacts;
    private final JdbcTemplate jdbc;

    public ModelRegistry(ModelRepository models, ModelVersionRepository versions, ModelAliasRepository aliases,
            ModelAliasChangeRepository aliasHistory, ArtifactStore artifacts, JdbcTemplate jdbc) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.aliasHistory = aliasHistory;
        this.artifacts = artifacts;
        this.jdbc = jdbc;
    }

    /**
     * The model of that name, created for {@code family} if absent; a family mismatch is a conflict. Concurrent first
     * uses of a name (on any replica) create one row: the insert does nothing when the name exists.
     */
    @Transactional
    public Model ensureModel(String name, String family) {
        jdbc.update("insert into model (id, name, family, created_at) values (?, ?, ?, now()) on conflict (name) do nothing",
                UUID.randomUUID(), name, family);
        Model model = models.findByName(name).orElseThrow(() -> NotFoundException.of("model", name));
        if (!model.getFamily().equals(family)) {
            throw new ConflictException("model '" + name + "' belongs to family '" + model.getFamily()
                    + "'; a job for family '" + family + "' must use another model name");
        }
        return model;
    }

    /** Locks the model row and returns the next version number, never one given out before (the lock lasts until the transaction ends). */
    @Transactional
    public int lockNextVersion(String modelName) {
        Model model = models.lockByName(modelName).orElseThrow(() -> NotFoundException.of("model", modelName));
        return model.claimVersion(versions.maxVersion(model.getId()));
    }

    public List<Model> listModels() {
        return models.findAll(org.springframework.data.domain.Sort.by("name"));
    }

    public Model model(String name) {
        return models.findByName(name).orElseThrow(() -> NotFoundException.of("model", name));
    }

    public Page<Model> listModels(Pageable pageable) {
        return models.findAll(PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), Sort.by("name")));
    }

    /** A page of a model's versions, newest first. */
    public Page<ModelVersion> versions(String modelName, Pageable pageable) {
        return versions.findByModelId(model(modelName).getId(), PageRequest.of(pageable.getPageNumber(),
                pageable.getPageSize(), Sort.by(Sort.Direction.DESC, "version")));
    }

    /** A page of an alias's moves, newest first. */
    public Page<ModelAliasChange> aliasHistory(String modelName, String alias, Pageable pageable) {
        return aliasHistory.findByModelIdAndAlias(model(modelName).getId(), alias, PageRequest.of(
                pageable.getPageNumber(), pageable.getPageSize(),
                Sort.by(Sort.Direction.DESC, "changedAt").and(Sort.by(Sort.Direction.DESC, "id"))));
    }

    public List<ModelVersion> versions(String modelName) {
        return versions.findByModelIdOrderByVersionDesc(model(modelName).getId());
    }

    public List<ModelAlias> aliases(String modelName) {
        return aliases.findByModelIdOrderByAlias(model(modelName).getId());
    }

    public List<ModelAliasChange> aliasHistory(String modelName, String alias) {
        return aliasHistory.findByModelIdAndAliasOrderByChangedAtDescIdDesc(model(modelName).getId(), alias);
    }

    /** The version an alias pointed at, at a given instant; empty if it pointed nowhere then. */
    public Optional<ModelVersion> aliasAt(String modelName, String alias, Instant at) {
        Model model = model(modelName);
        return aliasHistory
                .findFirstByModelIdAndAliasAndChangedAtLessThanEqualOrderByChangedAtDescIdDesc(model.getId(), alias, at)
                .map(ModelAliasChange::getVersionId)
                .flatMap(versions::findById);
    }

    /** Resolves "3", "latest" or an alias name. */
    public ModelVersion resolve(String modelName, String reference) {
        Model model = model(modelName);
        if ("latest".equals(reference)) {
            return versions.findFirstByModelIdOrderByVersionDesc(model.getId())
                    .orElseThrow(() -> new NotFoundException("model '" + modelName + "' has no versions yet"));
        }
        if (reference.chars().allMatch(Character::isDigit) && !reference.isEmpty() && reference.length() < 10) {
            int number = Integer.parseInt(reference);
            return versions.findByModelIdAndVersion(model.getId(), number)
                    .orElseThrow(() -> new NotFoundException("model '" + modelName + "' has no version " + number));
        }
        return aliases.findById(new ModelAlias.Key(model.getId(), reference))
                .flatMap(a -> versions.findById(a.getVersionId()))
                .orElseThrow(() -> new NotFoundException("model '" + modelName + "' has no version or alias '"
                        + reference + "' (use a version number, 'latest' or an alias)"));
    }

    /** Points {@code alias} at a version (by number or reference) and records the move. */
    @Transactional
    public ModelAlias setAlias(String modelName, String alias, String versionReference) {
        if ("latest".equals(alias) || !alias.matches("^[A-Za-z][A-Za-z0-9_-]{0,63}$")) {
            throw new InvalidInputException("alias must match [A-Za-z][A-Za-z0-9_-]{0,63} and not be 'latest'");
        }
        Model model = model(modelName);
        ModelVersion target = resolve(modelName, versionReference);
        Optional<ModelAlias> existing = aliases.findById(new ModelAlias.Key(model.getId(), alias));
        UUID previous = existing.map(ModelAlias::getVersionId).orElse(null);
        ModelAlias saved;
        if (existing.isPresent()) {
            existing.get().pointAt(target.getId());
            saved = existing.get();
        } else {
            saved = aliases.save(new ModelAlias(model.getId(), alias, target.getId()));
        }
        aliasHistory.save(new ModelAliasChange(model.getId(), alias, target.getId(), previous));
        return saved;
    }

    @Transactional
    public void deleteAlias(String modelName, String alias) {
        Model model = model(modelName);
        ModelAlias existing = aliases.findById(new ModelAlias.Key(model.getId(), alias))
                .orElseThrow(() -> new NotFoundException("model '" + modelName + "' has no alias '" + alias + "'"));
        aliases.delete(existing);
        aliasHistory.save(new ModelAliasChange(model.getId(), alias, null, existing.getVersionId()));
    }

    /**
     * Deletes a version and then its artifact; refused with 409 while an alias points at it. The files go after the
     * row's deletion is committed, so a failed transaction never leaves a row without files (a crash in between
     * leaves files without a row, which {@link ArtifactJanitor} removes).
     */
    @Transactional
    public void deleteVersion(String modelName, int number) {
        models.lockByName(modelName).orElseThrow(() -> NotFoundException.of("model", modelName));
        ModelVersion version = resolve(modelName, Integer.toString(number));
        List<ModelAlias> pointing = aliases.findByVersionId(version.getId());
        if (!pointing.isEmpty()) {
            throw new ConflictException("version " + number + " of '" + modelName + "' is aliased as "
                    + pointing.stream().map(ModelAlias::getAlias).toList() + "; move the alias first");
        }
        versions.delete(version);
        versions.flush();
        String path = version.getArtifactPath();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                artifacts.discard(path);
            }
        });
    }

    /** Inserts a version now, so that a clash (the unique job id, the version number) fails here, in the caller's transaction. */
    public ModelVersion saveAndFlush(ModelVersion version) {
        return versions.saveAndFlush(version);
    }

    public Optional<ModelVersion> versionOfJob(UUID jobId) {
        return versions.findByJobId(jobId);
    }

    public Optional<ModelVersion> findVersion(UUID id) {
        return versions.findById(id);
    }
}
