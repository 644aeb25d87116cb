package io.orchestrator.auth;

import java.util.Set;

/** Who is calling: the token's {@code sub} and the workspaces its {@code workspaces} claim grants ("*" = all). */
public record Principal(String subject, Set<String> workspaces) {

  public static final String ALL_WORKSPACES = "*";

  public boolean canAccess(String workspace) {
    return workspaces.contains(ALL_WORKSPACES) || workspaces.contains(workspace);
  }
}
