package dev.clerkkit.internal

import java.util.Properties

/** The version of clerkkit this jar was built as: the Maven project version, filtered into `clerkkit.properties`. */
internal object ClerkkitVersion {
    /** Resource the build writes the version into (client/pom.xml filters it). */
    const val RESOURCE: String = "/dev/clerkkit/clerkkit.properties"

    /** Shown when the resource is missing or was not filtered (e.g. classes compiled outside Maven). */
    const val UNKNOWN: String = "unknown"

    /** The version, e.g. `0.1.0` or `0.1.0-SNAPSHOT`; [UNKNOWN] when the jar does not say. Read once. */
    val VERSION: String = read()

    private fun read(): String {
        val version = try {
            ClerkkitVersion::class.java.getResourceAsStream(RESOURCE)?.use { stream ->
                Properties().apply { load(stream) }.getProperty("version")?.trim()
            }
        } catch (e: java.io.IOException) {
            null
        }
        return version?.takeIf { it.isNotEmpty() && !it.contains("\${") } ?: UNKNOWN
    }
}
