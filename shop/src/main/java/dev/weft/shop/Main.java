package dev.weft.shop;

/** Starts the example service. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("shop: not wired yet");
        System.exit(1);
    }
}
