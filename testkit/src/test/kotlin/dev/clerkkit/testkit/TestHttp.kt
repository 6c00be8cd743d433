package dev.clerkkit.testkit

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.io.BufferedInputStream
import java.io.InputStream
import java.net.Socket
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

/** A response as seen by the tests. */
class Resp(val status: Int, val headers: Map<String, List<String>>, val body: String) {
    val json: JsonElement by lazy { Json.parseToJsonElement(body) }
    val obj: JsonObject get() = json.jsonObject
    val arr: JsonArray get() = json.jsonArray
    fun header(name: String): String? = headers.entries.firstOrNull { it.key.equals(name, true) }?.value?.firstOrNull()

    /** The first error's code of a ClerkErrors body. */
    val errorCode: String get() = obj["errors"]!!.jsonArray[0].jsonObject["code"]!!.jsonPrimitive.content
    override fun toString(): String = "Resp($status, $body)"
}

fun JsonElement.str(name: String): String? = (this as JsonObject)[name]?.let { if (it is kotlinx.serialization.json.JsonNull) null else it.jsonPrimitive.content }

/**
 * `java.net.http.HttpClient` against a sandbox; every response is validated with [Contract]. With [apiVersion] every
 * request carries `Clerk-API-Version`; for 2024-10-01 and older, session answers are also checked against that
 * version's spec ([Contract.checkLegacy]).
 */
class Api(private val sandbox: ClerkSandbox, private val key: String? = sandbox.secretKey, private val apiVersion: String? = null) {
    val client: HttpClient = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .apply { sandbox.clientSslContext()?.let { sslContext(it) } }
        .build()

    fun get(pathAndQuery: String, auth: String? = key): Resp = send("GET", pathAndQuery, null, auth)

    fun post(path: String, body: String? = null, auth: String? = key): Resp = send("POST", path, body, auth)

    fun send(method: String, pathAndQuery: String, body: String?, auth: String? = key, validate: Boolean = true): Resp {
        val origin = sandbox.baseUrl.removeSuffix("/v1")
        val b = HttpRequest.newBuilder(URI.create(origin + "/v1" + pathAndQuery)).timeout(Duration.ofSeconds(10))
        if (auth != null) b.header("Authorization", "Bearer $auth")
        if (body != null) b.header("Content-Type", "application/json")
        if (apiVersion != null) b.header("Clerk-API-Version", apiVersion)
        b.method(method, if (body == null) HttpRequest.BodyPublishers.noBody() else HttpRequest.BodyPublishers.ofString(body))
        val r = client.send(b.build(), HttpResponse.BodyHandlers.ofString())
        val resp = Resp(r.statusCode(), r.headers().map(), r.body())
        if (validate) {
            Contract.check(method, "/v1$pathAndQuery", resp.status, resp.headers, resp.body)
            if (apiVersion != null && apiVersion <= "2024-10-01") Contract.checkLegacy(method, "/v1$pathAndQuery", resp.status, resp.body)
        }
        return resp
    }
}

/** A raw HTTP/1.1 response read off a socket. */
class RawResp(val status: Int, val headers: Map<String, String>, val body: String, val complete: Boolean) {
    fun header(name: String): String? = headers[name.lowercase()]
}

/** A single keep-alive connection driven by hand, for connection-level fault tests. */
class RawConn(private val sandbox: ClerkSandbox) : AutoCloseable {
    val socket = Socket("127.0.0.1", sandbox.port).apply { soTimeout = 10_000 }
    private val input: InputStream = BufferedInputStream(socket.getInputStream())

    fun send(method: String, path: String, body: String? = null, extraHeaders: List<String> = emptyList()) {
        val bytes = body?.toByteArray() ?: ByteArray(0)
        val head = buildString {
            append("$method /v1$path HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${sandbox.secretKey}\r\n")
            if (body != null) append("Content-Type: application/json\r\n")
            append("Content-Length: ${bytes.size}\r\n")
            extraHeaders.forEach { append(it).append("\r\n") }
            append("\r\n")
        }
        socket.getOutputStream().write(head.toByteArray() + bytes)
        socket.getOutputStream().flush()
    }

    /** Reads one response; `null` if the server closed the connection cleanly before sending anything. */
    fun read(): RawResp? {
        val statusLine = line() ?: return null
        val headers = LinkedHashMap<String, String>()
        while (true) {
            val l = line() ?: error("EOF in headers")
            if (l.isEmpty()) break
            headers[l.substringBefore(':').trim().lowercase()] = l.substringAfter(':').trim()
        }
        val len = headers["content-length"]!!.toInt()
        val body = input.readNBytes(len)
        return RawResp(statusLine.split(' ')[1].toInt(), headers, String(body), body.size == len)
    }

    fun exchange(method: String, path: String, body: String? = null): RawResp? {
        send(method, path, body)
        return read()
    }

    /** True when the server has closed this connection (EOF or reset) — reads at most one byte. */
    fun closedByServer(): Boolean = try {
        input.read() == -1
    } catch (_: java.net.SocketException) {
        true
    }

    private fun line(): String? {
        val sb = StringBuilder()
        while (true) {
            val b = input.read()
            if (b == -1) return if (sb.isEmpty()) null else error("EOF mid-line")
            if (b == '\n'.code) return sb.toString().trimEnd('\r')
            sb.append(b.toChar())
        }
    }

    override fun close() {
        socket.close()
    }
}
