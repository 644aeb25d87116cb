package io.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

class VertxRuntimeTest {

  @Test
  void runsOnTheEpollTransportOnLinux() {
    String arch = System.getProperty("os.arch");
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("aarch64")),
      "the epoll transport is shipped for Linux x86_64 and aarch64 only");
    Vertx vertx = VertxRuntime.create();
    try {
      assertThat(vertx.isNativeTransportEnabled())
        .as("native transport, else: %s", vertx.unavailableNativeTransportCause()).isTrue();
    } finally {
      vertx.close();
    }
  }
}
