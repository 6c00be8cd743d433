package dev.clerkkit.internal;

/** Public in bytecode, but in the package {@code dev.clerkkit.internal}: not public API. */
public class Helper {
    public static void help() {}
}
