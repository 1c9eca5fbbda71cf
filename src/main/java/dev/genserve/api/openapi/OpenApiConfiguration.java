package dev.genserve.api.openapi;

import dev.genserve.processes.ProcessSimulationService;
import dev.genserve.generative.sde.SdeConfig;
import dev.genserve.registry.FamilyCatalog;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI contract of {@code /api/v1}: title, version and description; the {@code X-API-Key} scheme (required on
 * writes, optional on reads, which need it only when {@code genserve.security.protect-reads} is on); the derived
 * family config schemas; and on every operation the problem-details responses it can give (422 and 503 with
 * {@code Retry-After} on the operations that compute in the bounded pool), plus {@code Link} and
 * {@code X-Total-Count} on every list. {@code docs/openapi.json} is this document, checked by OpenApiContractTest.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    /** Version of the HTTP contract (not of the build): bump on any change a client would notice. */
    public static final String API_VERSION = "1.1.0";
    public static final String API_KEY_SCHEME = "ApiKey";
    public static final String API_KEY_HEADER = "X-API-Key";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEM_REF = "#/components/schemas/ProblemDetail";
    static final String PAGED_PREFIX = "#/components/schemas/Paged";

    static {
        // the event stream is documented as text/event-stream; the emitter class is no part of the contract
        SpringDocUtils.getConfig().addResponseTypeToIgnore(org.springframework.web.servlet.mvc.method.annotation.SseEmitter.class);
    }

    @Bean
    OpenAPI genserveOpenApi() {
        return new OpenAPI()
                .info(new Info().title("genserve API").version(API_VERSION)
                        .description("""
                                Train generative models (score-based diffusion, drifting one-step generators, the \
                                Fokker-Planck attractor) and draw samples from them over HTTP.

                                - **Datasets**: built-in 2-D toys and Fashion-MNIST, or uploads (CSV, NPY, IDX).
                                - **Jobs**: a training job per model version; follow it by polling or by server-sent \
                                events, cancel it at any time.
                                - **Models**: numbered immutable versions (with held-out quality metrics next to \
                                their noise floors), aliases with history, artifact export and import.
                                - **Sampling**: N samples of any version as JSON, CSV, NPY or PNG; the same seed \
                                gives the same bytes.

                                Errors are RFC 9457 problem details. Writes need the `X-API-Key` header when the \
                                server has a key configured. Every list is paged the same way (`page`, `size`; \
                                `Link` and `X-Total-Count` headers).""")
                        .contact(new Contact().name("genserve").url("https://github.com/genserve/genserve")))
                .servers(List.of(new Server().url("/").description("The instance that serves this document")))
                .tags(List.of(
                        new Tag().name("service").description("What this service is and which build runs"),
                        new Tag().name("datasets").description("Built-in and uploaded training data"),
                        new Tag().name("jobs").description("Training jobs: submit, follow, cancel"),
                        new Tag().name("models").description("Models, immutable versions, aliases, artifacts"),
                        new Tag().name("sampling").description("Samples of a model version"),
                        new Tag().name("likelihood").description("Log-likelihood of rows under a diffusion version"),
                        new Tag().name("processes").description("Forward processes simulated on data, for plots")))
                .components(new Components().addSecuritySchemes(API_KEY_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(API_KEY_HEADER)
                        .description("The key set by GENSERVE_API_KEY. Required on writes when the server has one; "
                                + "on reads only when genserve.security.protect-reads is on.")));
    }

    @Bean
    OpenApiCustomizer genserveContract(FamilyCatalog families) {
        return openApi -> {
            Components components = openApi.getComponents();
            new FamilyConfigSchemas(families).schemas().forEach(components::addSchemas);
            components.addSchemas("SimulationParams", FamilyConfigSchemas.simulationParams(
                    ProcessSimulationService.AttractorOverrides.class, SdeConfig.class));
            ModelConverters.getInstance().readAllAsResolvedSchema(new AnnotatedType(ProblemSchema.class))
                    .referencedSchemas.forEach(components::addSchemas);
            components.addSchemas("ProblemDetail", ModelConverters.getInstance()
                    .readAllAsResolvedSchema(new AnnotatedType(ProblemSchema.class)).schema);
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> complete(path, method, operation)));
            // stable output: schemas sorted by name
            components.setSchemas(new TreeMap<>(components.getSchemas()));
        };
    }

    private static void complete(String path, PathItem.HttpMethod method, Operation operation) {
        boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD;
        operation.setSecurity(write ? List.of(new SecurityRequirement().addList(API_KEY_SCHEME))
                : List.of(new SecurityRequirement(), new SecurityRequirement().addList(API_KEY_SCHEME)));
        ApiResponses responses = operation.getResponses();
        boolean hasBody = operation.getRequestBody() != null;
        boolean hasInput = hasBody || (operation.getParameters() != null && !operation.getParameters().isEmpty());
        if (hasInput) {
            standard(responses, "400", "The request is invalid: a bad parameter, a malformed body, or a value "
                    + "out of range (the detail names it)");
        }
        standard(responses, "401", write ? "The X-API-Key header is missing or wrong"
                : "The X-API-Key header is missing or wrong (only when reads are protected)");
        if (path.contains("{")) {
            standard(responses, "404", "No such resource (the detail names it)");
        }
        standard(responses, "406", "The Accept header asks for a format this operation cannot produce");
        if (hasBody) {
            standard(responses, "413", "The body, or the work it asks for, is over the server's limits");
            standard(responses, "415", "The Content-Type of the body is not accepted");
        }
        if (computes(operation)) {
            standard(responses, "422", "The request is within the size limits but over the work budget "
                    + "(the detail gives the estimated cost and the budget)");
            standard(responses, "503", "Busy: every compute slot and queue place is taken, the request ran past "
                    + "its deadline (and was cancelled), or the service is shutting down; retry after Retry-After");
            responses.get("503").addHeaderObject("Retry-After", new Header().description("Seconds to wait before "
                    + "retrying").schema(new IntegerSchema()));
        }
        standard(responses, "500", "Unexpected server error (logged; the detail says nothing internal)");
        responses.forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                response.setContent(new Content().addMediaType(PROBLEM_JSON,
                        new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
            }
        });
        ApiResponse ok = responses.get("200");
        if (ok != null && ok.getContent() != null && ok.getContent().values().stream()
                .anyMatch(m -> m.getSchema() != null && m.getSchema().get$ref() != null
                        && m.getSchema().get$ref().startsWith(PAGED_PREFIX))) {
            ok.addHeaderObject("Link", new Header().description("RFC 8288 links to the first, previous, next and "
                    + "last pages (relative URIs)").schema(new StringSchema()));
            ok.addHeaderObject("X-Total-Count", new Header().description("Items in the whole list")
                    .schema(new IntegerSchema().format("int64")));
        }
        if (ok != null && operation.getTags() != null && operation.getTags().contains("sampling")) {
            ok.addHeaderObject("X-Seed", new Header().description("The seed used: the same request with it gives "
                    + "the same bytes").schema(new IntegerSchema().format("int64")));
            ok.addHeaderObject("X-Model-Version", new Header().description("<model>/<version> that drew the samples")
                    .schema(new StringSchema()));
        }
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        operation.setResponses(sorted);
    }

    /**
     * Operations that run in the bounded compute pool (sampling, process simulation): a work budget (422), a
     * bulkhead and a deadline (503).
     */
    private static boolean computes(Operation operation) {
        return operation.getTags() != null
                && (operation.getTags().contains("sampling") || operation.getTags().contains("processes"));
    }

    private static void standard(ApiResponses responses, String code, String description) {
        if (!responses.containsKey(code)) {
            responses.addApiResponse(code, new ApiResponse().description(description));
        }
    }
}
