# syntax=docker/dockerfile:1
# genserve image. Build:   docker build -t genserve .                                 (CPU, runs fully offline)
#                          docker build -t genserve:gpu --build-arg FLAVOR=gpu .         (CUDA; see README "GPU")
# Run:                     docker run -p 8080:8080 -v genserve-data:/app/data -v genserve-models:/app/models genserve
# Run (GPU):               docker run --gpus all -p 8080:8080 -v genserve-djl:/app/.djl ... genserve:gpu
ARG FLAVOR=cpu
ARG JRE_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy
# The GPU runtime: NVIDIA's CUDA runtime + cuDNN (what libtorch's CUDA build links against), Ubuntu 22.04 like the
# JRE image. CUDA 12.8 matches PyTorch 2.7.1's CUDA 12.8 build (DJL flavour cu128, see PYTORCH_FLAVOR below).
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04

# ---- build: Maven wrapper on a JDK 17 --------------------------------------------------------------------------
FROM maven:3.9.11-eclipse-temurin-17 AS build
ARG FLAVOR
WORKDIR /src
# Dependency layer: changes only when the pom or the wrapper changes.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN chmod +x mvnw \
 && GPU_FLAG=$([ "$FLAVOR" = "gpu" ] && echo "-Dgpu" || true) \
 && ./mvnw -B -q $GPU_FLAG dependency:go-offline
COPY src/ src/
# Tests (and the client generated for them from docs/openapi.json) are not built into the image.
RUN GPU_FLAG=$([ "$FLAVOR" = "gpu" ] && echo "-Dgpu" || true) \
 && ./mvnw -B -q $GPU_FLAG -Dmaven.test.skip=true -Dcodegen.skip=true package \
 && cp target/genserve-*.jar /app.jar

# ---- runtime bases: the CPU one is the JRE image; the GPU one is CUDA with the same JRE copied in -------------------
FROM ${JRE_IMAGE} AS base-cpu

FROM ${JRE_IMAGE} AS jre
FROM ${CUDA_IMAGE} AS base-gpu
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk

# ---- runtime: what both flavours share -----------------------------------------------------------------------------
FROM base-${FLAVOR} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 genserve \
 && useradd --system --uid 10001 --gid genserve --home-dir /app --shell /usr/sbin/nologin genserve \
 && mkdir -p /app/models /app/data /app/.djl \
 && chown -R genserve:genserve /app
WORKDIR /app
COPY --from=build --chown=genserve:genserve /app.jar /app/app.jar
ARG GIT_COMMIT=""
# JVM flags in three parts, so that adding flags (JAVA_OPTS) never drops the memory or GC ones:
# half the container memory for the heap (libtorch and tensors live outside it, in native memory), exit on OOM, G1.
ENV PORT=8080 \
    ENGINE_CACHE_DIR=/app/.djl \
    DJL_CACHE_DIR=/app/.djl \
    GENSERVE_ARTIFACTS_ROOT=/app/models \
    GENSERVE_EMBEDDED_DB_DATA_DIR=/app/data/postgres \
    GENSERVE_JOBRUNR_DASHBOARD=false \
    GENSERVE_GIT_COMMIT=${GIT_COMMIT} \
    JAVA_MEMORY_OPTS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError" \
    JAVA_GC_OPTS="-XX:+UseG1GC" \
    JAVA_OPTS="" \
    MALLOC_ARENA_MAX=2
# MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (Tomcat, sample workers, the training job) its own
# malloc arena, up to 8 per core, and libtorch's freed tensors stay cached in them; with 2 arenas the soak's RSS grew
# +23 MiB instead of +91 MiB over 4 jobs (README, Performance: the soak).
USER genserve
# Weights and checkpoints; the embedded PostgreSQL's data (used when SPRING_DATASOURCE_URL is not set); libtorch.
VOLUME ["/app/models", "/app/data", "/app/.djl"]
EXPOSE 8080
# The port comes from $PORT (what server.port reads), so a changed port keeps a working health check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
  CMD curl -fsS "http://localhost:${PORT:-8080}/actuator/health" > /dev/null || exit 1
# exec: java is PID 1 and receives SIGTERM, so Spring shuts down gracefully (server.shutdown=graceful)
ENTRYPOINT ["sh", "-c", "exec java $JAVA_MEMORY_OPTS $JAVA_GC_OPTS $JAVA_OPTS -jar /app/app.jar \"$@\"", "--"]

# CPU flavour: libtorch ships inside the jar, never touches the network.
FROM runtime AS runtime-cpu
ENV GENSERVE_DJL_OFFLINE=true

# GPU flavour: no native jar inside. At first start DJL downloads the CUDA build of libtorch for PyTorch 2.7.1 into
# ENGINE_CACHE_DIR (mount a volume on /app/.djl to keep it). PYTORCH_FLAVOR names that build exactly instead of
# leaving it to detection; it must match the CUDA runtime of CUDA_IMAGE. Needs the NVIDIA container toolkit and
# `docker run --gpus all`.
FROM runtime AS runtime-gpu
ARG PYTORCH_FLAVOR=cu128
ENV GENSERVE_DJL_OFFLINE=false \
    GENSERVE_DJL_DEVICE=gpu \
    PYTORCH_FLAVOR=${PYTORCH_FLAVOR}

FROM runtime-${FLAVOR}
