package dev.clerkkit.internal

/**
 * Marks declarations that are public only so that clerkkit's own modules (the Java facade) can use them. They are
 * not part of clerkkit's API: they may change or disappear in any release, and are left out of the API files.
 */
@RequiresOptIn(
    message = "clerkkit's internal API, for clerkkit's own modules only: it may change in any release.",
    level = RequiresOptIn.Level.ERROR,
)
@Retention(AnnotationRetention.BINARY)
@Target(AnnotationTarget.CLASS, AnnotationTarget.FUNCTION, AnnotationTarget.PROPERTY)
public annotation class InternalClerkkitApi
