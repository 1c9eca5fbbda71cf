package dev.genserve.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * DJL engine settings ({@code genserve.djl.*}, env {@code GENSERVE_DJL_*}).
 *
 * @param threads intra-op threads for PyTorch; {@code null} keeps PyTorch's default (one per core)
 * @param device  {@code auto} (GPU when DJL sees one), {@code cpu} or {@code gpu} (fails at startup without a GPU)
 * @param offline when true (default) DJL never downloads anything; the CPU libtorch ships inside the jar
 */
@ConfigurationProperties("genserve.djl")
public record DjlProperties(Integer threads, @DefaultValue("auto") DeviceChoice device, @DefaultValue("true") boolean offline) {

    public enum DeviceChoice {
        AUTO, CPU, GPU
    }
}
