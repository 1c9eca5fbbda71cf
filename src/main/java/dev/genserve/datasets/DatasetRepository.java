package dev.genserve.datasets;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Spring Data access to {@code dataset}; the metadata queries never load the row data. */
public interface DatasetRepository extends JpaRepository<Dataset, UUID> {

    String INFO = "select new dev.genserve.datasets.DatasetInfo(d.id, d.name, d.source, d.format, d.description, d.rows,"
            + " d.cols, d.shape, d.hasLabels, d.numClasses, d.featureMean, d.featureStd, d.classNames, d.sha256,"
            + " d.createdAt) from Dataset d";

    @Query(INFO + " where d.id = :id")
    Optional<DatasetInfo> findInfoById(@Param("id") UUID id);

    @Query(INFO + " where d.name = :name")
    Optional<DatasetInfo> findInfoByName(@Param("name") String name);

    @Query(value = INFO + " order by d.createdAt desc, d.id", countQuery = "select count(d) from Dataset d")
    Page<DatasetInfo> findAllInfo(Pageable pageable);

    boolean existsByName(String name);

    @Query(value = "select count(*) from training_job j where j.dataset_id = :id", nativeQuery = true)
    long countJobs(@Param("id") UUID id);

    @Query(value = "select count(*) from model_version v where v.dataset_id = :id", nativeQuery = true)
    long countModelVersions(@Param("id") UUID id);
}
