package dev.genserve.config;

/** Placeholder: replaced by the foundation branch. Forces DJL offline before the engine loads. */
public final class DjlBootstrap {

    private DjlBootstrap() {}

    public static void applyBeforeEngineLoads() {
        System.setProperty("ai.djl.offline", "true");
    }
}
