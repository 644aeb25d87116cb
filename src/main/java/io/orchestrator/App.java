package io.orchestrator; public class App { public static void main(String[] a){} }
