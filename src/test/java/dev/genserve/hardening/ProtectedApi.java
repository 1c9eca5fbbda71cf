package dev.genserve.hardening;

import dev.genserve.support.IntegrationTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * The context of the bad-input corpus and the API-key bypass tests (one cached context for both): the whole
 * application with {@code genserve.security.api-key} set to {@value #KEY}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@IntegrationTest
@TestPropertySource(properties = "genserve.security.api-key=" + ProtectedApi.KEY)
@interface ProtectedApi {
    String KEY = "corpus-s3cret";
    String DATASET = "corpus-moons";
    String MODEL = "corpus-model";
    String MODEL_CONFIG = "{\"steps\":10,\"hidden\":16,\"depth\":1,\"batchSize\":32,\"sampleSteps\":5}";
}
