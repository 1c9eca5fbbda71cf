package dev.genserve.datasets;

import dev.genserve.errors.ConflictException;
import dev.genserve.errors.InvalidInputException;
import dev.genserve.errors.NotFoundException;
import dev.genserve.errors.PayloadTooLargeException;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Standardizer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.core.io.InputStreamSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates, finds, loads and deletes datasets. Rows are stored as float32 little-endian row-major bytes, labels as
 * int32 little-endian; the SHA-256 is over the row bytes exactly as stored. Feature statistics are per-feature
 * population mean and std (no floor) of all rows.
 */
@Service
public class DatasetService {

    /** Dataset names: like model names, and never a UUID or a {@code builtin:} reference. */
    public static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$");

    /** The largest row offset a page may start at (page × size); beyond it the database offset would overflow. */
    public static final int MAX_OFFSET = 100_000_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DatasetRepository repository;
    private final DatasetProperties properties;
    private final BuiltinDatasets builtins;
    private final JdbcTemplate jdbc;

    public DatasetService(DatasetRepository repository, DatasetProperties properties, JdbcTemplate jdbc) {
        this.repository = repository;
        this.properties = properties;
        this.jdbc = jdbc;
        this.builtins = new BuiltinDatasets(properties.fashionMnistDir(), properties.defaultBuiltinRows(), properties.limits());
    }

    /** An upload: the file (and for IDX an optional labels file) with the form fields. */
    public record Upload(String name, String format, String labelColumn, String fileName, long size,
                         InputStreamSource file, String labelsFileName, long labelsSize, InputStreamSource labels) {
    }

    public BuiltinDatasets builtins() {
        return builtins;
    }

    public DatasetProperties properties() {
        return properties;
    }

    // ---------------------------------------------------------------- create

    /** Validates, parses and stores an upload (source 'upload'). 400 bad file, 409 duplicate name, 413 too large. */
    public DatasetInfo createFromUpload(Upload u) {
        long limit = properties.maxUploadBytes().toBytes();
        if (u.file() == null || u.size() == 0 && u.fileName() == null) {
            throw new InvalidInputException("The multipart part 'file' is required");
        }
        if (u.size() > limit || u.size() + u.labelsSize() > limit) {
            throw new PayloadTooLargeException("The upload is " + (u.size() + u.labelsSize()) + " bytes, more than the limit of "
                    + limit + " bytes (genserve.datasets.max-upload-bytes)");
        }
        DatasetFormat format = u.format() != null && !u.format().isBlank() ? DatasetFormat.parse(u.format())
                : Optional.ofNullable(DatasetFormat.fromFileName(u.fileName())).orElseThrow(() -> new InvalidInputException(
                "Cannot infer the format from the file name '" + u.fileName() + "'; pass format=csv, npy or idx"));
        String name = u.name() != null && !u.name().isBlank() ? u.name().trim() : nameFromFile(u.fileName());
        checkName(name);
        if (u.labels() != null && format != DatasetFormat.IDX) {
            throw new InvalidInputException("A 'labels' file is only accepted for format idx; for CSV use labelColumn");
        }
        if (u.labelColumn() != null && !u.labelColumn().isBlank() && format != DatasetFormat.CSV) {
            throw new InvalidInputException("labelColumn is only accepted for format csv");
        }
        if (repository.existsByName(name)) {
            throw duplicate(name);
        }
        ParsedDataset parsed;
        try (InputStream in = u.file().getInputStream()) {
            parsed = switch (format) {
                case CSV -> new CsvDatasetParser(properties.limits()).parse(in, u.labelColumn());
                case NPY -> new NpyDatasetParser(properties.limits()).parse(in);
                case IDX -> {
                    if (u.labels() == null) {
                        yield new IdxDatasetParser(properties.limits()).parse(in, null);
                    }
                    try (InputStream labels = u.labels().getInputStream()) {
                        yield new IdxDatasetParser(properties.limits()).parse(in, labels);
                    }
                }
            };
        } catch (IOException e) {
            throw new DatasetFormatException("Could not read the upload: " + e.getMessage(), e);
        }
        String description = "Uploaded " + format.id() + " file " + (u.fileName() == null ? "" : "'" + u.fileName() + "'")
                + (u.labelsFileName() != null ? " with labels '" + u.labelsFileName() + "'" : "");
        return store(name, Dataset.SOURCE_UPLOAD, format.id(), description.trim(), parsed);
    }

    /**
     * Materialises a built-in ({@code n} rows, default {@code genserve.datasets.default-builtin-rows} for toys, all for
     * Fashion-MNIST; {@code seed} default 0) and stores it (source 'builtin') under {@code name}, default
     * {@code <builtin>-n<n>-s<seed>}.
     */
    public DatasetInfo createBuiltin(String builtin, Integer n, Long seed, String name) {
        BuiltinDatasets.Builtin b = builtinOrThrow(builtin);
        int rows = n == null ? b.defaultN() : n;
        long s = seed == null ? 0L : seed;
        String target = name == null || name.isBlank() ? canonicalName(b.name(), rows, s) : name.trim();
        checkName(target);
        if (repository.existsByName(target)) {
            throw duplicate(target);
        }
        ParsedDataset parsed = builtins.materialise(b.name(), rows, s);
        return store(target, Dataset.SOURCE_BUILTIN, "builtin", builtinDescription(b, rows, s), parsed);
    }

    /** Stores a parsed dataset; 409 when the name is taken. */
    public DatasetInfo store(String name, String source, String format, String description, ParsedDataset parsed) {
        Dataset d = toEntity(name, source, format, description, parsed);
        try {
            repository.saveAndFlush(d);
        } catch (DataIntegrityViolationException e) {
            if (repository.existsByName(name)) {
                throw duplicate(name);
            }
            throw e;
        }
        return describe(d.getId().toString());
    }

    private static Dataset toEntity(String name, String source, String format, String description, ParsedDataset parsed) {
        checkName(name);
        FloatMatrix m = parsed.rows();
        if (m.rows() < 1 || m.cols() < 1) {
            throw new DatasetFormatException("The dataset has no rows");
        }
        byte[] data = floatsLe(m.data());
        double[][] stats = Standardizer.columnStatistics(m);
        Dataset d = new Dataset(UUID.randomUUID(), name, source, format);
        d.setDescription(description);
        d.setRows(m.rows());
        d.setCols(m.cols());
        d.setShape(parsed.imageShape() == null ? null : json(parsed.imageShape()));
        d.setHasLabels(parsed.hasLabels());
        if (parsed.hasLabels()) {
            d.setNumClasses(Math.max(1, parsed.numClasses()));
            d.setLabels(intsLe(parsed.labels()));
            d.setClassNames(parsed.classNames() == null ? null : json(parsed.classNames()));
        }
        d.setFeatureMean(json(stats[0]));
        d.setFeatureStd(json(stats[1]));
        d.setData(data);
        d.setSha256(sha256(data));
        return d;
    }

    // ---------------------------------------------------------------- find

    /** Built-ins available on this machine (not yet materialised). */
    public List<BuiltinDatasets.Builtin> listBuiltins() {
        return builtins.available();
    }

    /** Stored datasets, newest first, without their rows. */
    public Page<DatasetInfo> list(int page, int size) {
        if (page < 0 || size < 1 || size > 500) {
            throw new InvalidInputException("page must be >= 0 and size in [1, 500], got page=" + page + ", size=" + size);
        }
        if ((long) page * size > MAX_OFFSET) {
            throw new InvalidInputException("page × size must be at most " + MAX_OFFSET + ", got page=" + page + ", size=" + size);
        }
        return repository.findAllInfo(PageRequest.of(page, size));
    }

    /** A stored dataset's metadata by id or name (never materialises a built-in); 404 when none. */
    public DatasetInfo describe(String idOrName) {
        return find(idOrName).orElseThrow(() -> notFound(idOrName));
    }

    private Optional<DatasetInfo> find(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            return Optional.empty();
        }
        UUID id = parseUuid(idOrName.trim());
        return id != null ? repository.findInfoById(id) : repository.findInfoByName(idOrName.trim());
    }

    /**
     * What a dataset reference names: a stored dataset, or a built-in ({@code builtin:<name>[?n=&seed=]}) that is not
     * stored yet, materialised in memory as {@code pending} under its canonical name {@code <name>-n<n>-s<seed>}.
     * Nothing is written: a pending built-in is stored only by {@link #store(Resolved)}, which a job submission calls
     * in the transaction that accepts the job, so simulations and refused jobs never grow the database.
     */
    public record Resolved(DatasetInfo stored, String name, String description, ParsedDataset pending) {

        public boolean isStored() {
            return stored != null;
        }

        public int rows() {
            return isStored() ? stored.rows() : pending.rows().rows();
        }

        public int cols() {
            return isStored() ? stored.cols() : pending.rows().cols();
        }
    }

    /** Resolves an id, a stored name or a built-in reference without storing anything; 404 when it names nothing. */
    public Resolved resolve(String idOrName) {
        if (idOrName != null && idOrName.trim().startsWith(BuiltinDatasets.PREFIX)) {
            return resolveBuiltin(idOrName.trim());
        }
        DatasetInfo info = describe(idOrName);
        return new Resolved(info, info.name(), info.description(), null);
    }

    private Resolved resolveBuiltin(String ref) {
        String rest = ref.substring(BuiltinDatasets.PREFIX.length());
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        BuiltinDatasets.Builtin b = builtins.find(rest).orElseThrow(() -> new NotFoundException("Built-in dataset '" + ref
                + "' does not exist; available: " + String.join(", ", builtins.names().stream().map(s -> "builtin:" + s).toList())));
        Integer n = null;
        Long seed = null;
        if (query != null && !query.isEmpty()) {
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                String key = decode(p[0], ref);
                String value = p.length > 1 ? decode(p[1], ref) : "";
                try {
                    switch (key) {
                        case "n" -> n = Integer.parseInt(value);
                        case "seed" -> seed = Long.parseLong(value);
                        default -> throw new InvalidInputException("Unknown parameter '" + key + "' in '" + ref
                                + "'; built-in references accept n and seed");
                    }
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("Parameter '" + key + "' in '" + ref + "' must be an integer, got '" + value + "'");
                }
            }
        }
        int rows = n == null ? b.defaultN() : n;
        long s = seed == null ? 0L : seed;
        String name = canonicalName(b.name(), rows, s);
        Optional<DatasetInfo> existing = repository.findInfoByName(name);
        if (existing.isPresent()) {
            return new Resolved(existing.get(), name, existing.get().description(), null);
        }
        return new Resolved(null, name, builtinDescription(b, rows, s), builtins.materialise(b.name(), rows, s));
    }

    private static String decode(String s, String ref) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + ref + "' is not a valid built-in reference: " + e.getMessage());
        }
    }

    private static String builtinDescription(BuiltinDatasets.Builtin b, int rows, long seed) {
        return b.description() + " (built-in '" + b.name() + "', n=" + rows
                + (b.name().equals(BuiltinDatasets.FASHION_MNIST) ? "" : ", seed=" + seed) + ")";
    }

    /**
     * Stores a pending built-in (or returns the stored dataset). Concurrent first uses, on any replica, end up with
     * one row: the insert does nothing when the name exists, so it never aborts the caller's transaction.
     */
    public DatasetInfo store(Resolved resolved) {
        if (resolved.isStored()) {
            return resolved.stored();
        }
        Dataset d = toEntity(resolved.name(), Dataset.SOURCE_BUILTIN, "builtin", resolved.description(), resolved.pending());
        jdbc.update("insert into dataset (id, name, source, format, description, rows, cols, shape, has_labels, num_classes,"
                        + " feature_mean, feature_std, class_names, sha256, data, labels, created_at) values (?, ?, ?, ?, ?, ?, ?,"
                        + " cast(? as jsonb), ?, ?, cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), ?, ?, ?, now())"
                        + " on conflict (name) do nothing",
                d.getId(), d.getName(), d.getSource(), d.getFormat(), d.getDescription(), d.getRows(), d.getCols(),
                d.getShape(), d.isHasLabels(), d.getNumClasses(), d.getFeatureMean(), d.getFeatureStd(), d.getClassNames(),
                d.getSha256(), d.getData(), d.getLabels());
        return repository.findInfoByName(resolved.name()).orElseThrow(() -> notFound(resolved.name()));
    }

    /** The rows, labels and statistics of a stored dataset, for training. */
    public LoadedDataset load(UUID id) {
        Dataset d = repository.findById(id).orElseThrow(() -> notFound(id.toString()));
        return loaded(d);
    }

    /** The rows of what a reference names, stored or pending, without storing anything. */
    public LoadedDataset load(Resolved resolved) {
        return resolved.isStored() ? load(resolved.stored().id())
                : loaded(toEntity(resolved.name(), Dataset.SOURCE_BUILTIN, "builtin", resolved.description(), resolved.pending()));
    }

    private static LoadedDataset loaded(Dataset d) {
        float[] values = floatsFromLe(d.getData());
        FloatMatrix m = new FloatMatrix(values, d.getRows(), d.getCols());
        int[] labels = d.getLabels() == null ? null : intsFromLe(d.getLabels());
        return new LoadedDataset(d.getId(), d.getName(), m, labels, d.isHasLabels() ? d.getNumClasses() : 0,
                d.getShape() == null ? null : JSON.readValue(d.getShape(), int[].class),
                JSON.readValue(d.getFeatureMean(), double[].class), JSON.readValue(d.getFeatureStd(), double[].class),
                d.getClassNames() == null ? null : JSON.readValue(d.getClassNames(), new TypeReference<List<String>>() { }),
                d.getSha256());
    }

    /**
     * The first {@code limit} rows (and labels) of a stored dataset. Only those bytes are read: the database slices
     * the row blob (stored uncompressed, so the slice does not detoast the whole value).
     */
    public LoadedDataset head(String idOrName, int limit) {
        DatasetInfo info = describe(idOrName);
        int k = Math.max(0, Math.min(limit, info.rows()));
        int rowBytes = 4 * info.cols();
        byte[] data = jdbc.queryForObject("select substring(data from 1 for ?) from dataset where id = ?", byte[].class,
                k * rowBytes, info.id());
        byte[] labelBytes = info.hasLabels() ? jdbc.queryForObject(
                "select substring(labels from 1 for ?) from dataset where id = ?", byte[].class, 4 * k, info.id()) : null;
        return new LoadedDataset(info.id(), info.name(), new FloatMatrix(floatsFromLe(data), k, info.cols()),
                labelBytes == null ? null : intsFromLe(labelBytes), info.hasLabels() ? info.numClasses() : 0,
                ints(info.shape()), doubles(info.featureMean()), doubles(info.featureStd()), strings(info.classNames()),
                info.sha256());
    }

    // ---------------------------------------------------------------- delete

    /** Deletes a stored dataset; 404 when none, 409 while a training job or model version refers to it. */
    public void delete(String idOrName) {
        DatasetInfo info = describe(idOrName);
        long jobs = repository.countJobs(info.id());
        long versions = repository.countModelVersions(info.id());
        if (jobs > 0 || versions > 0) {
            throw new ConflictException("Dataset '" + info.name() + "' (" + info.id() + ") is referred to by " + jobs
                    + " training job(s) and " + versions + " model version(s); delete those first");
        }
        try {
            repository.deleteById(info.id());
            repository.flush();
        } catch (DataIntegrityViolationException e) {
            throw new ConflictException("Dataset '" + info.name() + "' is referred to by a training job or model version");
        }
    }

    // ---------------------------------------------------------------- helpers

    public static String canonicalName(String builtin, int n, long seed) {
        return BuiltinDatasets.FASHION_MNIST.equals(builtin) ? builtin + "-n" + n : builtin + "-n" + n + "-s" + seed;
    }

    private BuiltinDatasets.Builtin builtinOrThrow(String builtin) {
        String b = builtin == null ? "" : builtin.trim();
        if (b.startsWith(BuiltinDatasets.PREFIX)) {
            b = b.substring(BuiltinDatasets.PREFIX.length());
        }
        String key = b;
        return builtins.find(key).orElseThrow(() -> new InvalidInputException("Unknown built-in dataset '" + key
                + "'; available: " + String.join(", ", builtins.names())));
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidInputException("Invalid dataset name '" + name
                    + "': use 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit");
        }
        if (parseUuid(name) != null) {
            throw new InvalidInputException("Invalid dataset name '" + name + "': a name must not look like a UUID");
        }
    }

    private static String nameFromFile(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            throw new InvalidInputException("Give the dataset a 'name'");
        }
        String base = fileName.replaceAll(".*[/\\\\]", "").replaceFirst("(\\.gz)$", "").replaceFirst("\\.[A-Za-z0-9]+$", "");
        base = base.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
        if (base.isEmpty()) {
            throw new InvalidInputException("Give the dataset a 'name'");
        }
        return base.length() > 100 ? base.substring(0, 100) : base;
    }

    private ConflictException duplicate(String name) {
        return new ConflictException("A dataset named '" + name + "' already exists");
    }

    private NotFoundException notFound(String idOrName) {
        return new NotFoundException("Dataset '" + idOrName + "' does not exist; give a dataset id, the name of a stored "
                + "dataset, or builtin:<name>[?n=&seed=] with one of: " + String.join(", ", builtins.names()));
    }

    static UUID parseUuid(String s) {
        if (s.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** Parses a JSON array column into doubles (null stays null). */
    public static double[] doubles(String json) {
        return json == null ? null : JSON.readValue(json, double[].class);
    }

    public static int[] ints(String json) {
        return json == null ? null : JSON.readValue(json, int[].class);
    }

    public static List<String> strings(String json) {
        return json == null ? null : JSON.readValue(json, new TypeReference<List<String>>() { });
    }

    public static byte[] floatsLe(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    public static float[] floatsFromLe(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public static byte[] intsLe(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    public static int[] intsFromLe(byte[] bytes) {
        int[] out = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** SHA-256 (lower-case hex) of the given bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
