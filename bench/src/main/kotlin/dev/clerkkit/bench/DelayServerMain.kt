package dev.clerkkit.bench

import io.ktor.http.ContentType
import io.ktor.server.application.call
import io.ktor.server.cio.CIO
import io.ktor.server.engine.embeddedServer
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import kotlinx.coroutines.delay

/**
 * A tiny async server for the 10,000-in-flight scenario (the testkit sandbox is one thread per connection):
 * Ktor server CIO answering `GET /v1/sessions/{id}` with one spec-valid Session and `POST /v1/sessions/{id}/tokens`
 * with a token (`{"object":"token","jwt":...}`, a fixed unsigned JWT) after `--delay-ms` (default 1000).
 * Args: `--port P --delay-ms D`. Prints `READY <port>`. Runs until killed or stdin closes.
 */
object DelayServerMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val port = args.indexOf("--port").let { if (it >= 0) args[it + 1].toInt() else 8799 }
        val delayMs = args.indexOf("--delay-ms").let { if (it >= 0) args[it + 1].toLong() else 1000L }
        val body = Fixtures.sessionJson()
        // answer about the session asked for (clerkkit checks that a `get` answer names the requested session)
        val fixedId = kotlinx.serialization.json.Json.parseToJsonElement(body).let {
            (it as kotlinx.serialization.json.JsonObject)["id"].toString().trim('"')
        }
        val server = embeddedServer(CIO, port = port, host = "127.0.0.1") {
            routing {
                get("/v1/sessions/{id}") {
                    delay(delayMs)
                    call.respondText(body.replace(fixedId, call.parameters["id"]!!), ContentType.Application.Json)
                }
                post("/v1/sessions/{id}/tokens") {
                    delay(delayMs)
                    call.respondText(TOKEN, ContentType.Application.Json)
                }
            }
        }
        server.start(wait = false)
        println("READY $port")
        System.out.flush()
        Thread {
            while (System.`in`.read() >= 0) { /* wait for EOF */ }
            server.stop(100, 1000)
            kotlin.system.exitProcess(0)
        }.apply { isDaemon = false }.start()
    }

    private const val TOKEN = "{\"object\":\"token\",\"jwt\":\"eyJhbGciOiJub25lIn0.eyJzaWQiOiJzZXNzX2luZmxpZ2h0In0.\"}"
}
