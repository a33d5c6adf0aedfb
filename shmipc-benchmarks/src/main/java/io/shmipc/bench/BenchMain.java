package io.shmipc.bench;
public class BenchMain { public static void main(String[] a) {} }
