package dev.clerkkit.sessions

import com.atlassian.oai.validator.OpenApiInteractionValidator
import com.atlassian.oai.validator.model.Request
import com.atlassian.oai.validator.model.SimpleRequest
import dev.clerkkit.testkit.RecordedRequest
import java.net.URLDecoder

/**
 * Validates requests the client really sent (as recorded by the sandbox) against Clerk's OpenAPI description
 * (Clerk's published spec, copied unmodified into test resources). `verify` is checked against the
 * 2024-10-01 description, the only one that still has it. Returns the validator's messages (empty = valid).
 */
object RequestContract {
    private fun load(name: String) = OpenApiInteractionValidator
        .createForInlineApiSpecification(RequestContract::class.java.classLoader.getResource(name)!!.readText())
        .withBasePathOverride("/v1")
        .build()

    private val current = load("sessions-openapi.yml")
    private val legacy = load("sessions-openapi-2024-10-01.yml")

    fun violations(r: RecordedRequest): List<String> {
        val builder = SimpleRequest.Builder(Request.Method.valueOf(r.method), r.rawPath)
        r.headers.forEach { (k, v) -> builder.withHeader(k, v) }
        r.query?.split('&')?.filter { it.isNotEmpty() }?.forEach { kv ->
            val (k, v) = kv.split('=', limit = 2).let { it[0] to it.getOrElse(1) { "" } }
            builder.withQueryParam(URLDecoder.decode(k, Charsets.UTF_8), URLDecoder.decode(v, Charsets.UTF_8))
        }
        if (r.body.isNotEmpty()) builder.withBody(r.body)
        val validator = if (r.rawPath.endsWith("/verify")) legacy else current
        return validator.validateRequest(builder.build()).messages.map { "${r.method} ${r.rawPath}: ${it.key} ${it.message}" }
    }
}
