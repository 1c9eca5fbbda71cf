package dev.genserve.config;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Loads the DJL engine once at startup, picks the compute {@link Device} and reports what it found.
 *
 * <p>If the engine cannot load (missing native library, offline without a cached build), the application still starts so
 * that operators can see the cause: the {@code djl} health component is DOWN with the error and the device falls back to
 * CPU. Asking explicitly for {@code gpu} on a machine without one is a configuration error and stops startup.
 */
@Configuration(proxyBeanMethods = false)
public class DjlEngineConfig {

    private static final Logger log = LoggerFactory.getLogger(DjlEngineConfig.class);

    @Bean
    public DjlEngineStatus djlEngineStatus(DjlProperties properties) {
        DjlBootstrap.applyBeforeEngineLoads(); // no-op when already applied; covers contexts built without SpringApplication
        long t0 = System.nanoTime();
        Engine engine;
        try {
            engine = Engine.getInstance();
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            log.error("DJL engine failed to load (offline={}): {}", System.getProperty(DjlBootstrap.OFFLINE), e.toString(), e);
            return DjlEngineStatus.failed(e);
        }
        int gpus = engine.getGpuCount();
        Device device = switch (properties.device()) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (gpus == 0) {
                    throw new IllegalStateException("genserve.djl.device=gpu but DJL sees no GPU (engine "
                            + engine.getEngineName() + " " + engine.getVersion() + "); use auto or cpu");
                }
                yield Device.gpu();
            }
            case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
        };
        boolean pytorch = "PyTorch".equals(engine.getEngineName());
        if (pytorch && properties.threads() != null && JniUtils.getNumThreads() != properties.threads()) {
            JniUtils.setNumThreads(properties.threads()); // intra-op threads can change at any time
        }
        Integer threads = pytorch ? JniUtils.getNumThreads() : null;
        Integer interop = pytorch ? JniUtils.getNumInteropThreads() : null;
        DjlEngineStatus status = new DjlEngineStatus(engine.getEngineName(), engine.getVersion(), Engine.getDjlVersion(),
                device, gpus, threads, interop, Boolean.parseBoolean(System.getProperty(DjlBootstrap.OFFLINE)), null);
        log.info("DJL engine {} {} (DJL {}) ready in {} ms: device={}, gpus={}, threads={}, interop-threads={}, offline={}",
                status.engine(), status.version(), status.djlVersion(), (System.nanoTime() - t0) / 1_000_000,
                device, gpus, threads, interop, status.offline());
        return status;
    }

    /** The device every model, manager and trainer should use. */
    @Bean
    public Device djlDevice(DjlEngineStatus status) {
        return status.device();
    }

    @Bean("djlHealthIndicator")
    public DjlHealthIndicator djlHealthIndicator(DjlEngineStatus status) {
        return new DjlHealthIndicator(status);
    }
}
