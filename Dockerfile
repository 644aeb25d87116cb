FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml openapi.yaml ./
COPY redis ./redis
COPY src ./src
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/orchestrator.jar /app/orchestrator.jar
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/orchestrator.jar"]
