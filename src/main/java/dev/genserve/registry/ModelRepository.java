package dev.genserve.registry;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** Models by id and by name. */
public interface ModelRepository extends JpaRepository<Model, UUID> {

    Optional<Model> findByName(String name);

    /** Locks the model row so that concurrent version creation numbers versions without gaps or clashes. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from Model m where m.name = :name")
    Optional<Model> lockByName(String name);
}
