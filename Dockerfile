# The Cornac image: the CLI built by Maven (mvn -DskipTests package) on a JRE base. One image serves
# `operator` (default) and `ui`. Runs as a non-root user and works with a read-only root filesystem (mount /tmp).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 1000 cornac && useradd --system --uid 1000 --gid 1000 --home /nonexistent cornac
COPY cornac-cli/target/lib/ /opt/cornac/lib/
COPY cornac-cli/target/cornac-cli.jar /opt/cornac/cornac-cli.jar
USER 1000:1000
# A heap cap proportional to the container limit; SerialGC is the lean choice for a mostly idle controller.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=30 -XX:NewRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=96m -Xss512k -XX:+ExitOnOutOfMemoryError" MALLOC_ARENA_MAX=2
EXPOSE 8080
ENTRYPOINT ["java", "-cp", "/opt/cornac/cornac-cli.jar:/opt/cornac/lib/*", "dev.cornac.cli.Main"]
CMD ["operator"]
