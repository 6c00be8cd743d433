package dev.clerkkit.tokens

import com.nimbusds.jose.JOSEObjectType
import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.JWSHeader
import com.nimbusds.jose.JWSObject
import com.nimbusds.jose.Payload
import com.nimbusds.jose.crypto.MACSigner
import com.nimbusds.jose.crypto.RSASSASigner
import com.nimbusds.jose.jwk.JWKSet
import com.nimbusds.jose.jwk.KeyUse
import com.nimbusds.jose.jwk.RSAKey
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator
import com.nimbusds.jose.util.Base64URL
import kotlinx.coroutines.CompletableDeferred
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonObjectBuilder
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.time.Clock
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset
import java.util.Base64
import java.util.concurrent.atomic.AtomicInteger

/** Keys are expensive to generate: a few shared ones. */
object TestKeys {
    val primary: RSAKey = rsa("ins_key_primary")
    val rotated: RSAKey = rsa("ins_key_rotated")

    /** Same kid as [primary], different key material. */
    val impostor: RSAKey = rsa("ins_key_primary")

    fun rsa(kid: String): RSAKey =
        RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate()

    fun pem(key: RSAKey): String =
        "-----BEGIN PUBLIC KEY-----\n" +
            Base64.getMimeEncoder(64, "\n".toByteArray()).encodeToString(key.toRSAPublicKey().encoded) +
            "\n-----END PUBLIC KEY-----\n"

    fun jwks(vararg keys: RSAKey): String = JWKSet(keys.map { it.toPublicJWK() }).toString()
}

/** Fixed "now" for the tests: 2026-01-01T00:00:00Z. */
val NOW: Instant = Instant.parse("2026-01-01T00:00:00Z")

class MutableClock(@Volatile var now: Instant = NOW) : Clock() {
    override fun getZone(): ZoneId = ZoneOffset.UTC
    override fun withZone(zone: ZoneId?): Clock = this
    override fun instant(): Instant = now
    fun advance(by: java.time.Duration) {
        now = now.plus(by)
    }
}

/** A JwksFetcher that counts calls; [gate], when set, is awaited before answering. */
class CountingFetcher(
    @Volatile var body: () -> String,
) : JwksFetcher {
    private val counter = AtomicInteger()
    val count: Int get() = counter.get()

    @Volatile
    var gate: CompletableDeferred<Unit>? = null

    override suspend fun fetchJwks(): String {
        counter.incrementAndGet()
        gate?.await()
        return body()
    }
}

fun claims(
    sid: String? = "sess_123",
    sub: String? = "user_456",
    iat: Long? = NOW.epochSecond - 10,
    nbf: Long? = NOW.epochSecond - 10,
    exp: Long? = NOW.epochSecond + 50,
    extra: JsonObjectBuilder.() -> Unit = {},
): JsonObject = buildJsonObject {
    if (sid != null) put("sid", sid)
    if (sub != null) put("sub", sub)
    if (iat != null) put("iat", iat)
    if (nbf != null) put("nbf", nbf)
    if (exp != null) put("exp", exp)
    put("iss", "https://clerk.example.com")
    put("azp", "https://app.example.com")
    extra()
}

fun mint(
    payload: JsonObject = claims(),
    key: RSAKey = TestKeys.primary,
    kid: String? = key.keyID,
    typ: String = "JWT",
    headerParams: Map<String, Any> = emptyMap(),
): String {
    val header = JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType(typ)).customParams(headerParams)
        .apply { if (kid != null) keyID(kid) }.build()
    return JWSObject(header, Payload(payload.toString())).apply { sign(RSASSASigner(key)) }.serialize()
}

fun mintHs256(secret: ByteArray, payload: JsonObject = claims(), kid: String = TestKeys.primary.keyID): String =
    JWSObject(JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), Payload(payload.toString()))
        .apply { sign(MACSigner(secret)) }
        .serialize()

fun b64url(text: String): String = Base64URL.encode(text.toByteArray()).toString()
