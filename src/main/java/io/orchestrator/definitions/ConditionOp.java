package io.orchestrator.definitions;

import java.util.Arrays;
import java.util.Optional;

/** The operators of the reference, with their wire names. */
public enum ConditionOp {
  EQ("eq"), NEQ("neq"), GT("gt"), GTE("gte"), LT("lt"), LTE("lte"), IN("in"), NOT_IN("notIn"),
  EXISTS("exists"), NOT_EXISTS("notExists");

  private final String wireName;

  ConditionOp(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public boolean takesValue() {
    return this != EXISTS && this != NOT_EXISTS;
  }

  public boolean numeric() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }

  public boolean takesArray() {
    return this == IN || this == NOT_IN;
  }

  public static Optional<ConditionOp> fromWire(String name) {
    return Arrays.stream(values()).filter(op -> op.wireName.equals(name)).findFirst();
  }
}
