package io.orchestrator.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Misfire policies have wire names and default to fire-once")
class MisfirePolicyTest {

  @Test
  @DisplayName("wire names round-trip")
  void wireNamesRoundTrip() {
    for (MisfirePolicy policy : MisfirePolicy.values()) {
      assertThat(MisfirePolicy.fromWire(policy.wireName())).contains(policy);
    }
    assertThat(MisfirePolicy.FIRE_ONCE.wireName()).isEqualTo("fire-once");
    assertThat(MisfirePolicy.SKIP.wireName()).isEqualTo("skip");
  }

  @Test
  @DisplayName("unknown, differently cased or missing names are not policies")
  void unknownNames() {
    assertThat(MisfirePolicy.fromWire("FIRE_ONCE")).isEmpty();
    assertThat(MisfirePolicy.fromWire("Skip")).isEmpty();
    assertThat(MisfirePolicy.fromWire(null)).isEmpty();
  }

  @Test
  @DisplayName("the default is fire-once")
  void defaultIsFireOnce() {
    assertThat(MisfirePolicy.DEFAULT).isEqualTo(MisfirePolicy.FIRE_ONCE);
  }
}
