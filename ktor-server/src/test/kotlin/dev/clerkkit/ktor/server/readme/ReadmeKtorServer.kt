package dev.clerkkit.ktor.server.readme

import dev.clerkkit.ClerkClient
import dev.clerkkit.ktor.server.ClerkPrincipal
import dev.clerkkit.ktor.server.clerk
import dev.clerkkit.ktor.server.clerkAuthResult
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing

/**
 * The README's "Ktor server" block, between tag::ktor-server[] and end::ktor-server[] exactly as README.md shows it
 * (ReadmeKtorServerSpec compares them and runs this module); [clerkClient] is the snippet's free name.
 */
fun Application.readmeModule(clerkClient: ClerkClient) {
    // tag::ktor-server[]
    install(Authentication) {
        clerk { // clerk("name") { } for a named provider
            client = clerkClient // or clerkConfig = ClerkConfig { ... }; neither: ClerkConfig.fromEnv()
            publishableKey = System.getenv("CLERK_PUBLISHABLE_KEY") // suffixed cookies, handshake URL
            authorizedParties = setOf("https://app.example.com")
            validate { principal -> principal } // your own principal, or null to refuse (default: the ClerkPrincipal)
            challenge { call.respondText("sign in first: ${reason?.wireName}", status = HttpStatusCode.Unauthorized) }
        }
    }
    routing {
        authenticate {
            get("/me") {
                val me = call.principal<ClerkPrincipal>()!! // toString() shows no token
                call.respondText("${me.userId} in ${me.sessionId}, organization ${me.organization?.id}")
            }
        }
        authenticate(optional = true) { // anonymous visitors pass, with no principal
            get("/") { call.respondText(call.principal<ClerkPrincipal>()?.userId ?: "anonymous (${call.clerkAuthResult?.status})") }
        }
    }
    // end::ktor-server[]
}
