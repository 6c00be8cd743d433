package dev.clerkkit.internal

/**
 * The one reader of clerkkit's environment variables. Every `fromEnv` goes through it; a blank variable counts as
 * unset.
 */
internal class Environment(private val getenv: (String) -> String?) {
    /** `CLERK_SECRET_KEY`. */
    val secretKey: String? get() = value(SECRET_KEY)
    /** `CLERK_API_URL`: the Backend API base URL. */
    val apiUrl: String? get() = value(API_URL)
    /** `CLERK_API_VERSION`. */
    val apiVersion: String? get() = value(API_VERSION)
    /** `CLERK_JWT_KEY`: the instance's PEM public key. */
    val jwtKey: String? get() = value(JWT_KEY)
    /** `CLERK_RATE_LIMIT`, e.g. `100/10s` or `off`. */
    val rateLimit: String? get() = value(RATE_LIMIT)

    private fun value(name: String): String? = getenv(name)?.takeIf { it.isNotBlank() }

    companion object {
        const val SECRET_KEY = "CLERK_SECRET_KEY"
        const val API_URL = "CLERK_API_URL"
        const val API_VERSION = "CLERK_API_VERSION"
        const val JWT_KEY = "CLERK_JWT_KEY"
        const val RATE_LIMIT = "CLERK_RATE_LIMIT"

        /** The process environment. */
        val SYSTEM: Environment = Environment(System::getenv)

        fun of(map: Map<String, String>): Environment = Environment(map::get)
    }
}
