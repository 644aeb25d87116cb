package io.orchestrator;

import io.orchestrator.auth.TokenMinter;
import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** {@code token --sub <subject> --workspace <slug> [--workspace <slug>…] [--ttl <seconds>]}: prints an HS256 JWT. */
final class TokenCommand {

  private TokenCommand() {
  }

  static int run(String[] args) {
    String subject = "dev";
    List<String> workspaces = new ArrayList<>();
    int ttl = 24 * 3600;
    for (int i = 1; i < args.length - 1; i += 2) {
      switch (args[i]) {
        case "--sub" -> subject = args[i + 1];
        case "--workspace" -> workspaces.add(args[i + 1]);
        case "--ttl" -> ttl = Integer.parseInt(args[i + 1]);
        default -> {
          return usage("unknown option " + args[i]);
        }
      }
    }
    if (workspaces.isEmpty()) {
      return usage("at least one --workspace is required (\"*\" grants all)");
    }
    AppConfig.Auth auth = ConfigLoader.fromEnv().auth();
    if (auth.hmacSecret() == null) {
      return usage("minting needs the HS256 secret (ORCH_JWT_SECRET); with a public key, mint with your issuer");
    }
    Vertx vertx = Vertx.vertx();
    System.out.println(new TokenMinter(vertx, auth.hmacSecret()).mint(subject, workspaces, ttl));
    vertx.close();
    return 0;
  }

  private static int usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: java -jar target/orchestrator.jar token --sub <subject> --workspace <slug> "
      + "[--workspace <slug>…] [--ttl <seconds>]");
    return 64;
  }
}
