package io.orchestrator.deploy;

import static io.orchestrator.deploy.Rendering.declares;
import static io.orchestrator.deploy.Rendering.id;
import static io.orchestrator.deploy.Rendering.main;
import static io.orchestrator.deploy.Rendering.matches;
import static io.orchestrator.deploy.Rendering.podLabels;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who can reach which pods: the Service selects the api pods only; NetworkPolicies let the api pods receive
 * traffic on their HTTP port and the worker and scheduler pods nothing but metric scrapes from the monitoring
 * namespace.
 */
final class TrafficChecks {

  static final Map<String, String> MONITORING = Map.of("kubernetes.io/metadata.name", "monitoring");

  private TrafficChecks() {
  }

  static List<String> check(Rendering r) {
    List<String> v = new ArrayList<>();
    v.addAll(services(r));
    for (Deployment d : r.orchestrators()) {
      boolean api = "api".equals(podLabels(d).get(Rendering.COMPONENT_LABEL));
      v.addAll(api ? apiIngress(r, d) : internalIngress(r, d));
    }
    return v;
  }

  private static List<String> services(Rendering r) {
    List<String> v = new ArrayList<>();
    boolean apiServed = false;
    for (Service s : r.all(Service.class)) {
      Map<String, String> selector = s.getSpec().getSelector();
      LabelSelector labels = new LabelSelector(null, selector == null ? Map.of() : selector);
      List<Deployment> selected = r.orchestrators().stream().filter(d -> matches(labels, podLabels(d))).toList();
      if (selected.isEmpty()) {
        continue;
      }
      if (selected.size() > 1 || !"api".equals(podLabels(selected.get(0)).get(Rendering.COMPONENT_LABEL))) {
        v.add(id(s) + " selects " + selected.stream().map(Rendering::id).toList() + ", expected the api pods only");
        continue;
      }
      for (ServicePort port : s.getSpec().getPorts()) {
        if (!declares(main(selected.get(0)), port.getTargetPort())) {
          v.add(id(s) + ": target port " + port.getTargetPort().getValue() + " is not declared by the api pods");
        }
      }
      apiServed = true;
    }
    if (!apiServed) {
      v.add("no Service selects the api pods");
    }
    return v;
  }

  private static List<NetworkPolicy> ingressPolicies(Rendering r, Deployment d) {
    return r.all(NetworkPolicy.class).stream()
      .filter(p -> p.getSpec().getPolicyTypes() != null && p.getSpec().getPolicyTypes().contains("Ingress"))
      .filter(p -> matches(p.getSpec().getPodSelector(), podLabels(d))).toList();
  }

  private static List<String> apiIngress(Rendering r, Deployment d) {
    IntOrString http = new IntOrString(8080);
    boolean open = ingressPolicies(r, d).stream().flatMap(p -> rules(p).stream())
      .anyMatch(rule -> (rule.getFrom() == null || rule.getFrom().isEmpty()) && allows(rule, http));
    return open ? List.of() : List.of(id(d) + ": no NetworkPolicy lets the api pods receive traffic on 8080");
  }

  /** Isolated (selected by an Ingress policy) and reachable only from the monitoring namespace on 8080. */
  private static List<String> internalIngress(Rendering r, Deployment d) {
    List<NetworkPolicy> policies = ingressPolicies(r, d);
    if (policies.isEmpty()) {
      return List.of(id(d) + ": no NetworkPolicy isolates these pods, they accept traffic from anywhere");
    }
    List<String> v = new ArrayList<>();
    for (NetworkPolicy p : policies) {
      for (NetworkPolicyIngressRule rule : rules(p)) {
        if (!onlyMonitoring(rule) || rule.getPorts() == null || rule.getPorts().isEmpty()
          || !rule.getPorts().stream().allMatch(port -> port.getPort() != null && port.getPort().getIntVal() != null
          && port.getPort().getIntVal() == 8080 && port.getEndPort() == null)) {
          v.add(id(p) + " lets traffic other than scrapes from the monitoring namespace on 8080 into " + id(d));
        }
      }
    }
    return v;
  }

  private static boolean onlyMonitoring(NetworkPolicyIngressRule rule) {
    List<NetworkPolicyPeer> from = rule.getFrom();
    return from != null && !from.isEmpty() && from.stream().allMatch(peer -> peer.getIpBlock() == null
      && peer.getPodSelector() == null && peer.getNamespaceSelector() != null
      && MONITORING.equals(peer.getNamespaceSelector().getMatchLabels())
      && (peer.getNamespaceSelector().getMatchExpressions() == null
      || peer.getNamespaceSelector().getMatchExpressions().isEmpty()));
  }

  private static boolean allows(NetworkPolicyIngressRule rule, IntOrString port) {
    List<NetworkPolicyPort> ports = rule.getPorts();
    return ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> p.getPort() == null
      || port.equals(p.getPort()));
  }

  private static List<NetworkPolicyIngressRule> rules(NetworkPolicy p) {
    return p.getSpec().getIngress() == null ? List.of() : p.getSpec().getIngress();
  }
}
