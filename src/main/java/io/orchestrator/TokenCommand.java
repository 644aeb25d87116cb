package io.orchestrator;

import io.orchestrator.auth.TokenMinter;
import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code token --sub <subject> --workspace <slug> [--workspace <slug>…] [--ttl <seconds>]}: prints an HS256 JWT. */
final class TokenCommand {

  private TokenCommand() {
  }

  static int run(String[] args) {
    return run(args, System.getenv(), System.out, System.err);
  }

  /** The command against an explicit environment and streams; returns the process exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String subject = "dev";
    List<String> workspaces = new ArrayList<>();
    int ttl = 24 * 3600;
    for (int i = 1; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        return usage(err, "option " + args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--sub" -> subject = args[i + 1];
        case "--workspace" -> workspaces.add(args[i + 1]);
        case "--ttl" -> ttl = seconds(args[i + 1]);
        default -> {
          return usage(err, "unknown option " + args[i]);
        }
      }
    }
    if (ttl <= 0) {
      return usage(err, "--ttl must be a positive number of seconds");
    }
    if (workspaces.isEmpty()) {
      return usage(err, "at least one --workspace is required (\"*\" grants all)");
    }
    AppConfig.Auth auth = ConfigLoader.load(env).auth();
    if (auth.hmacSecret() == null) {
      return usage(err, "minting needs the HS256 secret (ORCH_JWT_SECRET); with a public key, mint with your issuer");
    }
    Vertx vertx = Vertx.vertx();
    try {
      out.println(new TokenMinter(vertx, auth.hmacSecret()).mint(subject, workspaces, ttl));
    } finally {
      vertx.close();
    }
    return 0;
  }

  private static int seconds(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println(problem);
    err.println("usage: java -jar target/orchestrator.jar token --sub <subject> --workspace <slug> "
      + "[--workspace <slug>…] [--ttl <seconds>]");
    return 64;
  }
}
