package dev.clerkkit

import io.ktor.client.engine.mock.MockEngine
import io.ktor.client.engine.mock.MockRequestHandleScope
import io.ktor.client.engine.mock.respond
import io.ktor.client.request.HttpRequestData
import io.ktor.client.request.HttpResponseData
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.content.OutgoingContent
import io.ktor.http.content.TextContent
import io.ktor.http.headersOf
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/** Obviously fake key; tests assert it never shows up anywhere. */
const val TEST_SECRET = "sk_test_FAKE_clerkkit_unit_secret"

fun sessionJson(
    id: String = "sess_1",
    status: String = "active",
    extra: String = "",
) = """{"object":"session","id":"$id","user_id":"user_1","client_id":"client_1","actor":null,"status":"$status",
    "last_active_organization_id":null,"last_active_at":1700000000000,"latest_activity":null,"expire_at":1700600000000,
    "abandon_at":1702600000000,"updated_at":1700000000001,"created_at":1700000000000$extra}"""

fun errorJson(code: String, status: Int = 0, trace: String? = "trace_abc") =
    """{"errors":[{"message":"msg $code","long_message":"long $code","code":"$code","meta":{"param_name":"p"}}],
    "meta":{"m":1}${trace?.let { ""","clerk_trace_id":"$it"""" } ?: ""}}"""

/** A recorded request: what the pipeline really sent. */
class Sent(val data: HttpRequestData) {
    val method get() = data.method.value
    val encodedPath get() = data.url.encodedPath
    val query get() = data.url.encodedQuery
    val body: String? get() = when (val b = data.body) {
        is TextContent -> b.text
        is OutgoingContent.NoContent -> null
        else -> error("unexpected body ${b::class}")
    }
    fun header(name: String) = data.headers[name]
}

class Recorder {
    val requests = CopyOnWriteArrayList<Sent>()
    val sleeps = CopyOnWriteArrayList<Duration>()
}

/** A client over MockEngine; [respond] answers each request. Retries sleep nowhere (recorded in [Recorder.sleeps]). */
fun mockClient(
    recorder: Recorder = Recorder(),
    configure: ClerkConfig.Builder.() -> Unit = {},
    respond: suspend MockRequestHandleScope.(HttpRequestData) -> HttpResponseData,
): ClerkClient {
    val engine = MockEngine { req ->
        recorder.requests += Sent(req)
        respond(req)
    }
    return ClerkClient {
        secretKey = TEST_SECRET
        this.engine = engine
        retryPolicy = RetryPolicy.builder().sleeper { recorder.sleeps += it }.randomSeed(1).build()
        configure()
    }
}

fun MockRequestHandleScope.json(body: String, status: Int = 200, vararg headers: Pair<String, String>) =
    respond(
        body, HttpStatusCode.fromValue(status),
        headersOf(*(listOf(HttpHeaders.ContentType to "application/json") + headers).map { (k, v) -> k to listOf(v) }.toTypedArray()),
    )
