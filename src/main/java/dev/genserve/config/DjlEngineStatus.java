package dev.genserve.config;

import ai.djl.Device;

/** What the DJL engine reported at startup; {@code error} is set (and the rest mostly null) when it failed to load. */
public record DjlEngineStatus(String engine, String version, String djlVersion, Device device, int gpuCount,
                              Integer threads, Integer interopThreads, boolean offline, String error) {

    static DjlEngineStatus failed(Throwable e) {
        return new DjlEngineStatus(null, null, null, Device.cpu(), 0, null, null,
                Boolean.parseBoolean(System.getProperty(DjlBootstrap.OFFLINE)), e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    public boolean up() {
        return error == null;
    }
}
