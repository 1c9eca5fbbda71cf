package dev.genserve.api;

import dev.genserve.datasets.BuiltinDatasets;
import dev.genserve.datasets.DatasetInfo;
import dev.genserve.datasets.DatasetService;
import dev.genserve.datasets.LoadedDataset;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code /api/v1/datasets}: built-in and uploaded datasets (see docs/datasets.md). */
@RestController
@RequestMapping(path = "/api/v1/datasets", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "datasets")
public class DatasetController {

    /** Feature statistics are listed in full up to this many features; beyond it only min/max/avg are given. */
    static final int FULL_STATS_MAX_COLS = 64;

    private final DatasetService service;

    public DatasetController(DatasetService service) {
        this.service = service;
    }

    /** Metadata of a stored dataset (never its rows). */
    @Schema(description = "A stored dataset (metadata only; rows via getDatasetRows)")
    public record DatasetView(UUID id, String name, @Schema(description = "builtin or upload") String source,
            @Schema(description = "builtin, csv, npy or idx") String format, String description, int rows, int cols,
            @Schema(description = "[rows, cols]") int[] shape,
            @Schema(nullable = true, description = "(C, H, W) of image data") int[] imageShape, boolean hasLabels,
            @Schema(nullable = true) Integer numClasses, @Schema(nullable = true) List<String> classNames,
            String sha256, FeatureStatistics statistics, Instant createdAt, Map<String, String> links) {
    }

    @Schema(description = "Per-feature mean and std of all rows (what training standardises with)")
    public record FeatureStatistics(StatisticSummary mean, StatisticSummary std) {
    }

    @Schema(description = "Summary of one per-feature statistic")
    public record StatisticSummary(@Schema(nullable = true) Double min, @Schema(nullable = true) Double max,
            @Schema(nullable = true) Double avg,
            @Schema(nullable = true, description = "Every feature's value, up to 64 features") double[] values) {
    }

    @Schema(description = "A built-in dataset that can be materialised (createBuiltinDataset) or used directly as "
            + "builtin:<name>")
    public record BuiltinView(String name, @Schema(example = "builtin:moons") String ref, String description,
            int cols, int numClasses, @Schema(nullable = true) int[] imageShape, int defaultN, int maxN) {
    }

    @Schema(description = "Materialise a built-in dataset and store it")
    public record BuiltinRequest(
            @Schema(description = "The built-in's name (listBuiltinDatasets)", example = "moons",
                    requiredMode = Schema.RequiredMode.REQUIRED) String builtin,
            @Schema(description = "Rows (default genserve.datasets.default-builtin-rows for toys, all for "
                    + "Fashion-MNIST)", example = "10000", minimum = "1") Integer n,
            @Schema(description = "Seed of the toy's draw", example = "0", defaultValue = "0") Long seed,
            @Schema(description = "Name to store it under (default <builtin>-n<n>-s<seed>)", example = "moons")
            String name) {
    }

    @Schema(description = "The first rows (and labels) of a stored dataset")
    public record RowsView(UUID id, String name, int rows, int cols, @Schema(nullable = true) int[] imageShape,
            List<float[]> data, @Schema(nullable = true) int[] labels, @Schema(nullable = true) List<String> classNames) {
    }

    @GetMapping
    @Operation(operationId = "listDatasets", summary = "Stored datasets, newest first (metadata, no rows)")
    public ResponseEntity<Paged<DatasetView>> list(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Paging.DEFAULT_SIZE) int size) {
        Paging.request(page, size);
        return Paging.response(service.list(page, size), DatasetController::view);
    }

    @GetMapping("/builtins")
    @Operation(operationId = "listBuiltinDatasets", summary = "Built-in datasets, available to materialise")
    public ResponseEntity<Paged<BuiltinView>> builtins(@RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = Paging.DEFAULT_SIZE) int size) {
        List<BuiltinView> all = service.listBuiltins().stream().map(b -> new BuiltinView(b.name(),
                BuiltinDatasets.PREFIX + b.name(), b.description(), b.cols(), b.numClasses(), b.imageShape(),
                b.defaultN(), b.maxN())).toList();
        return Paging.response(Paging.of(all, Paging.request(page, size)), b -> b);
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(operationId = "uploadDataset", summary = "Upload a dataset (CSV, NPY or IDX)",
            description = "Validated row by row: a NaN, a ragged row or a bad value is a 400 that names its "
                    + "line/column; over the size limits a 413.")
    @ApiResponse(responseCode = "201", description = "Stored; Location is the dataset",
            headers = @Header(name = "Location", description = "The dataset's URL", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "The name is taken")
    public ResponseEntity<DatasetView> upload(
            @Parameter(description = "The data file") @RequestPart("file") MultipartFile file,
            @Parameter(description = "IDX only: the labels file") @RequestPart(name = "labels", required = false)
            MultipartFile labels,
            @Parameter(description = "Name to store it under (default: from the file name)")
            @RequestParam(required = false) String name,
            @Parameter(description = "csv, npy or idx (default: from the file name)", schema = @Schema(
                    allowableValues = {"csv", "npy", "idx"})) @RequestParam(required = false) String format,
            @Parameter(description = "CSV only: the column (name or 0-based index) holding class labels")
            @RequestParam(required = false) String labelColumn) {
        DatasetInfo info = service.createFromUpload(new DatasetService.Upload(name, format, labelColumn,
                file.getOriginalFilename(), file.getSize(), file,
                labels == null ? null : labels.getOriginalFilename(), labels == null ? 0 : labels.getSize(), labels));
        return created(info);
    }

    @PostMapping(path = "/builtin", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createBuiltinDataset", summary = "Materialise and store a built-in dataset",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    examples = @ExampleObject(name = "moons", value = """
                            {"builtin": "moons", "n": 10000, "seed": 0, "name": "moons"}"""))))
    @ApiResponse(responseCode = "201", description = "Stored; Location is the dataset",
            headers = @Header(name = "Location", description = "The dataset's URL", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "409", description = "The name is taken")
    public ResponseEntity<DatasetView> createBuiltin(@RequestBody BuiltinRequest request) {
        if (request == null || request.builtin() == null || request.builtin().isBlank()) {
            throw new dev.genserve.errors.InvalidInputException("'builtin' is required; one of: " + String.join(", ", service.builtins().names()));
        }
        return created(service.createBuiltin(request.builtin(), request.n(), request.seed(), request.name()));
    }

    /** The original JSON form of createBuiltinDataset on the collection itself, kept for existing callers. */
    @Hidden
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<DatasetView> createBuiltinOnCollection(@RequestBody BuiltinRequest request) {
        return createBuiltin(request);
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getDataset", summary = "A stored dataset, by id or name")
    public DatasetView get(@Parameter(description = "Id or name") @PathVariable String id) {
        return view(service.describe(id));
    }

    @GetMapping("/{id}/rows")
    @Operation(operationId = "getDatasetRows", summary = "The first rows (and labels) of a stored dataset",
            description = "At most genserve.datasets.max-preview-rows (1000).")
    public RowsView rows(@Parameter(description = "Id or name") @PathVariable String id,
            @Parameter(description = "Rows to return, 1 to max-preview-rows") @RequestParam(defaultValue = "100") int limit) {
        int max = service.properties().maxPreviewRows();
        if (limit < 1 || limit > max) {
            throw new dev.genserve.errors.InvalidInputException("limit must be in [1, " + max + "], got " + limit);
        }
        LoadedDataset head = service.head(id, limit);
        List<float[]> rows = new ArrayList<>(head.rows().rows());
        for (int i = 0; i < head.rows().rows(); i++) {
            rows.add(head.rows().row(i));
        }
        return new RowsView(head.id(), head.name(), head.rows().rows(), head.rows().cols(), head.imageShape(), rows,
                head.labels(), head.classNames());
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteDataset", summary = "Delete a stored dataset")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "409", description = "A job or model version refers to it")
    public ResponseEntity<Void> delete(@Parameter(description = "Id or name") @PathVariable String id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<DatasetView> created(DatasetInfo info) {
        return ResponseEntity.created(URI.create("/api/v1/datasets/" + info.id())).body(view(info));
    }

    static DatasetView view(DatasetInfo d) {
        int[] imageShape = DatasetService.ints(d.shape());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/api/v1/datasets/" + d.id());
        links.put("rows", "/api/v1/datasets/" + d.id() + "/rows");
        return new DatasetView(d.id(), d.name(), d.source(), d.format(), d.description(), d.rows(), d.cols(),
                new int[] {d.rows(), d.cols()}, imageShape, d.hasLabels(), d.numClasses(), DatasetService.strings(d.classNames()),
                d.sha256(), new FeatureStatistics(stat(DatasetService.doubles(d.featureMean()), d.cols()),
                        stat(DatasetService.doubles(d.featureStd()), d.cols())), d.createdAt(), links);
    }

    private static StatisticSummary stat(double[] v, int cols) {
        if (v == null || v.length == 0) {
            return new StatisticSummary(null, null, null, null);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        return new StatisticSummary(min, max, sum / v.length, cols <= FULL_STATS_MAX_COLS ? v : null);
    }
}
