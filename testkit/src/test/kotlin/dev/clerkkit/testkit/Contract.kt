package dev.clerkkit.testkit

import com.atlassian.oai.validator.OpenApiInteractionValidator
import com.atlassian.oai.validator.model.Request
import com.atlassian.oai.validator.model.SimpleResponse
import com.atlassian.oai.validator.report.ValidationReport
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger

/**
 * Validates sandbox responses against Clerk's OpenAPI descriptions (copied unmodified into test resources):
 *
 * - `sessions-openapi.yml` (2026-05-12) for every `/sessions*` route except `verify`;
 * - `sessions-openapi-2024-10-01.yml` for `POST /sessions/{id}/verify` (only that version has it);
 * - a *derived* spec, assembled at runtime from the unmodified `components:` section of `sessions-openapi.yml`
 *   plus three paths the published description lacks:
 *   `/sessions-paginated` (the live `{"data":[<Session>, ...],"total_count":N}` shape of `GET /sessions?paginated=true`,
 *   every `data` element checked against the spec's own `Session` schema), `/jwks` (RSA keys, transcribed from
 *   the full spec's `JWKS.rsa.PublicKey`) and `/errors` (`default: ClerkErrors`), used for error statuses an
 *   operation does not document (e.g. 429/503 from faults, 422 on tokens, 404 for unknown routes).
 *
 * The approach (validate with `validateResponse(path, method, response)` only; request-side checks are off because
 * tests deliberately send invalid requests) can be copied by other modules; it stays in test sources so the
 * validator never reaches the testkit's runtime classpath.
 */
object Contract {
    private fun resource(name: String): String =
        Contract::class.java.classLoader.getResource(name)!!.readText()

    private val currentText = resource("sessions-openapi.yml")

    private val current: OpenApiInteractionValidator = OpenApiInteractionValidator
        .createForInlineApiSpecification(currentText).withBasePathOverride("/v1").build()

    private val legacy: OpenApiInteractionValidator = OpenApiInteractionValidator
        .createForInlineApiSpecification(resource("sessions-openapi-2024-10-01.yml")).withBasePathOverride("/v1").build()

    private val derived: OpenApiInteractionValidator = OpenApiInteractionValidator
        .createForInlineApiSpecification(derivedSpec()).withBasePathOverride("/v1").build()

    /** Number of responses validated so far in this JVM. */
    val validated = AtomicInteger()

    /** `METHOD path -> status` of error responses whose status the operation does not document. */
    val undocumented = ConcurrentLinkedQueue<String>()

    private fun derivedSpec(): String {
        val components = currentText.substring(currentText.indexOf("\ncomponents:\n") + 1)
        return """
            |openapi: 3.0.3
            |info:
            |  title: derived shapes of the live Clerk Sessions API
            |  version: '1'
            |servers:
            |- url: http://localhost/v1
            |paths:
            |  /errors:
            |    get:
            |      responses:
            |        default:
            |          ${'$'}ref: '#/components/responses/ClerkErrors'
            |  /sessions-paginated:
            |    get:
            |      responses:
            |        '200':
            |          description: paginated session list
            |          content:
            |            application/json:
            |              schema:
            |                type: object
            |                additionalProperties: false
            |                required: [data, total_count]
            |                properties:
            |                  data:
            |                    type: array
            |                    items:
            |                      ${'$'}ref: '#/components/schemas/Session'
            |                  total_count:
            |                    type: integer
            |  /jwks:
            |    get:
            |      responses:
            |        '200':
            |          description: JWKS
            |          content:
            |            application/json:
            |              schema:
            |                type: object
            |                additionalProperties: false
            |                required: [keys]
            |                properties:
            |                  keys:
            |                    type: array
            |                    items:
            |                      type: object
            |                      required: [kid, alg, use, kty, n, e]
            |                      properties:
            |                        kid: {type: string}
            |                        alg: {type: string}
            |                        use: {type: string}
            |                        kty: {type: string, enum: [RSA]}
            |                        n: {type: string}
            |                        e: {type: string}
            |""".trimMargin() + components
    }

    /**
     * Also validates a `200` session answer of a request sent as API version 2024-10-01 (or older) against
     * `sessions-openapi-2024-10-01.yml`, whose Session schema forbids `tasks`; other answers are left to [check].
     */
    fun checkLegacy(method: String, pathAndQuery: String, status: Int, body: String) {
        val path = pathAndQuery.substringBefore('?')
        if (status != 200 || path == "/v1/jwks" || pathAndQuery.contains("paginated=true")) return
        val response = SimpleResponse.Builder.status(status).withContentType("application/json").withBody(body).build()
        val report = legacy.validateResponse(path, Request.Method.valueOf(method), response)
        if (report.hasErrors()) {
            throw AssertionError("2024-10-01 contract violation for $method $pathAndQuery ($status): ${report.messages}\nbody: $body")
        }
        validated.incrementAndGet()
    }

    /**
     * Validates one response. [pathAndQuery] is the request target (starting with `/v1`).
     * Throws [AssertionError] with the validator's report when the response breaks the contract.
     */
    fun check(method: String, pathAndQuery: String, status: Int, headers: Map<String, List<String>>, body: String) {
        val path = pathAndQuery.substringBefore('?')
        val query = pathAndQuery.substringAfter('?', "")
        val m = Request.Method.valueOf(method)
        val contentType = headers.entries.firstOrNull { it.key.equals("Content-Type", true) }?.value?.firstOrNull()
        if (contentType != "application/json") throw AssertionError("Content-Type of $method $pathAndQuery was $contentType")
        val response = SimpleResponse.Builder.status(status).withContentType(contentType).withBody(body).build()

        val report: ValidationReport = when {
            path == "/v1/jwks" && status == 200 -> derived.validateResponse("/v1/jwks", Request.Method.GET, response)
            path == "/v1/sessions" && m == Request.Method.GET && status == 200 &&
                query.split('&').contains("paginated=true") ->
                derived.validateResponse("/v1/sessions-paginated", Request.Method.GET, response)
            path.endsWith("/verify") -> legacy.validateResponse(path, m, response)
            else -> current.validateResponse(path, m, response)
        }
        val fallback = report.messages.any {
            it.key == "validation.response.status.unknown" || it.key == "validation.request.path.missing" ||
                it.key == "validation.request.operation.notAllowed"
        }
        val finalReport = if (fallback && status >= 400) {
            undocumented.add("$method $path -> $status")
            derived.validateResponse("/v1/errors", Request.Method.GET, response)
        } else {
            report
        }
        if (finalReport.hasErrors()) {
            throw AssertionError("Contract violation for $method $pathAndQuery ($status): ${finalReport.messages}\nbody: $body")
        }
        validated.incrementAndGet()
    }
}
