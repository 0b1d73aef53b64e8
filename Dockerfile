# The service alone, for an external Elasticsearch and PostgreSQL (see docker-compose.yml).
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY index-templates index-templates
COPY src src
# The embedded engine's distribution is not needed in an image that talks to a cluster.
RUN ./mvnw -B -q -DskipTests -Dmdep.skip=true package && cp target/conversation-archive-*.jar /archive.jar

FROM eclipse-temurin:21-jre
RUN useradd --system --home-dir /var/lib/conversation-archive --create-home archive
USER archive
WORKDIR /var/lib/conversation-archive
COPY --from=build /archive.jar /opt/conversation-archive/archive.jar
ENV ARCHIVE_DATA_DIR=/var/lib/conversation-archive \
    ARCHIVE_ELASTICSEARCH_EMBEDDED_ENABLED=false
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/conversation-archive/archive.jar"]
