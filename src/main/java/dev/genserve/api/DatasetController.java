package dev.genserve.api;

import dev.genserve.datasets.BuiltinDatasets;
import dev.genserve.datasets.DatasetInfo;
import dev.genserve.datasets.DatasetService;
import dev.genserve.datasets.LoadedDataset;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.http.HttpStatus;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** {@code /api/v1/datasets}: built-in and uploaded datasets (see docs/datasets.md). */
@RestController
@RequestMapping("/api/v1/datasets")
public class DatasetController {

    /** Feature statistics are listed in full up to this many features; beyond it only min/max/avg are given. */
    static final int FULL_STATS_MAX_COLS = 64;

    private final DatasetService service;

    public DatasetController(DatasetService service) {
        this.service = service;
    }

    /** Metadata of a stored dataset (never its rows). */
    public record DatasetView(UUID id, String name, String source, String format, String description, int rows, int cols,
                              int[] shape, int[] imageShape, boolean hasLabels, Integer numClasses, List<String> classNames,
                              String sha256, Map<String, Object> statistics, Instant createdAt, Map<String, String> links) {
    }

    public record BuiltinView(String name, String ref, String description, int cols, int numClasses, int[] imageShape,
                              int defaultN, int maxN) {
    }

    public record PageView(List<DatasetView> content, int page, int size, long totalElements, int totalPages) {
    }

    public record DatasetList(List<BuiltinView> builtin, PageView datasets) {
    }

    public record BuiltinRequest(String builtin, Integer n, Long seed, String name) {
    }

    public record RowsView(UUID id, String name, int rows, int cols, int[] imageShape, List<float[]> data, int[] labels,
                           List<String> classNames) {
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Built-in datasets (available to materialise) and stored datasets (paged, without rows)")
    public DatasetList list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        List<BuiltinView> builtins = service.listBuiltins().stream().map(b -> new BuiltinView(b.name(),
                BuiltinDatasets.PREFIX + b.name(), b.description(), b.cols(), b.numClasses(), b.imageShape(), b.defaultN(),
                b.maxN())).toList();
        Page<DatasetInfo> p = service.list(page, size);
        return new DatasetList(builtins, new PageView(p.getContent().stream().map(DatasetController::view).toList(),
                p.getNumber(), p.getSize(), p.getTotalElements(), p.getTotalPages()));
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload a dataset (multipart: file, optional labels for IDX, name, format csv|npy|idx, labelColumn)")
    public ResponseEntity<DatasetView> upload(@RequestPart("file") MultipartFile file,
                                              @RequestPart(name = "labels", required = false) MultipartFile labels,
                                              @RequestParam(required = false) String name,
                                              @RequestParam(required = false) String format,
                                              @RequestParam(required = false) String labelColumn) {
        DatasetInfo info = service.createFromUpload(new DatasetService.Upload(name, format, labelColumn,
                file.getOriginalFilename(), file.getSize(), file,
                labels == null ? null : labels.getOriginalFilename(), labels == null ? 0 : labels.getSize(), labels));
        return created(info);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Materialise and store a built-in dataset: {builtin, n, seed, name}")
    public ResponseEntity<DatasetView> createBuiltin(@RequestBody BuiltinRequest request) {
        if (request == null || request.builtin() == null || request.builtin().isBlank()) {
            throw new dev.genserve.errors.InvalidInputException("'builtin' is required; one of: " + String.join(", ", service.builtins().names()));
        }
        return created(service.createBuiltin(request.builtin(), request.n(), request.seed(), request.name()));
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Metadata of a stored dataset, by id or name")
    public DatasetView get(@PathVariable String id) {
        return view(service.describe(id));
    }

    @GetMapping(path = "/{id}/rows", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The first rows (and labels) of a stored dataset, at most genserve.datasets.max-preview-rows")
    public RowsView rows(@PathVariable String id, @RequestParam(defaultValue = "100") int limit) {
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
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a stored dataset (409 while a job or model version refers to it)")
    public void delete(@PathVariable String id) {
        service.delete(id);
    }

    private static ResponseEntity<DatasetView> created(DatasetInfo info) {
        return ResponseEntity.created(URI.create("/api/v1/datasets/" + info.id())).body(view(info));
    }

    static DatasetView view(DatasetInfo d) {
        int[] imageShape = DatasetService.ints(d.shape());
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("mean", stat(DatasetService.doubles(d.featureMean()), d.cols()));
        stats.put("std", stat(DatasetService.doubles(d.featureStd()), d.cols()));
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/api/v1/datasets/" + d.id());
        links.put("rows", "/api/v1/datasets/" + d.id() + "/rows");
        return new DatasetView(d.id(), d.name(), d.source(), d.format(), d.description(), d.rows(), d.cols(),
                new int[] {d.rows(), d.cols()}, imageShape, d.hasLabels(), d.numClasses(), DatasetService.strings(d.classNames()),
                d.sha256(), stats, d.createdAt(), links);
    }

    private static Map<String, Object> stat(double[] v, int cols) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (v == null || v.length == 0) {
            return m;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
            sum += x;
        }
        m.put("min", min);
        m.put("max", max);
        m.put("avg", sum / v.length);
        if (cols <= FULL_STATS_MAX_COLS) {
            m.put("values", v);
        }
        return m;
    }
}
