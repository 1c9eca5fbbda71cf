# syntax=docker/dockerfile:1
# genserve image. Build:   docker build -t genserve .                 (CPU, runs fully offline)
#                          docker build -t genserve:gpu --build-arg FLAVOR=gpu .
# Run (GPU):               docker run --gpus all -p 8080:8080 genserve:gpu
ARG FLAVOR=cpu

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
RUN GPU_FLAG=$([ "$FLAVOR" = "gpu" ] && echo "-Dgpu" || true) \
 && ./mvnw -B -q $GPU_FLAG -DskipTests package \
 && cp target/genserve-*.jar /app.jar

# ---- runtime: JRE 17 only ------------------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.15_6-jre-jammy AS runtime
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
# Half the container memory for the heap: libtorch and tensors live outside it (native memory).
ENV ENGINE_CACHE_DIR=/app/.djl \
    DJL_CACHE_DIR=/app/.djl \
    GENSERVE_ARTIFACTS_ROOT=/app/models \
    GENSERVE_EMBEDDED_DB_DATA_DIR=/app/data/postgres \
    GENSERVE_GIT_COMMIT=${GIT_COMMIT} \
    JAVA_OPTS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC"
USER genserve
VOLUME ["/app/models"]
# 8080 HTTP API + actuator, 8000 JobRunr dashboard
EXPOSE 8080 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
  CMD curl -fsS http://localhost:8080/actuator/health > /dev/null || exit 1
# exec: java is PID 1 and receives SIGTERM, so Spring shuts down gracefully (server.shutdown=graceful)
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/app.jar \"$@\"", "--"]

# CPU flavour: libtorch ships inside the jar, never touches the network.
FROM runtime AS runtime-cpu
ENV GENSERVE_DJL_OFFLINE=true

# GPU flavour: no native jar inside; DJL downloads the CUDA build of libtorch into ENGINE_CACHE_DIR at first start
# (mount a volume on /app/.djl to keep it). Needs the NVIDIA container toolkit and `docker run --gpus all`.
FROM runtime AS runtime-gpu
ENV GENSERVE_DJL_OFFLINE=false \
    GENSERVE_DJL_DEVICE=auto

FROM runtime-${FLAVOR}
