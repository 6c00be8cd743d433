package dev.clerkkit.internal;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Test stand-in for the client's opt-in marker of the same name: the guard matches it by name. */
@Retention(RetentionPolicy.CLASS)
public @interface InternalClerkkitApi {}
