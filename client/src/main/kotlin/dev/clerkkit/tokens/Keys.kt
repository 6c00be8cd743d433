package dev.clerkkit.tokens

import com.nimbusds.jose.JOSEException
import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.jwk.JWKSet
import com.nimbusds.jose.jwk.KeyUse
import com.nimbusds.jose.jwk.RSAKey
import java.security.KeyFactory
import java.security.interfaces.RSAPublicKey
import java.security.spec.InvalidKeySpecException
import java.security.spec.X509EncodedKeySpec
import java.util.Base64

internal object Keys {
    /** Smallest RSA modulus accepted, in bits (Clerk instance keys are 2048-bit). */
    const val MIN_RSA_KEY_BITS: Int = 2048

    private const val PEM_HEADER = "-----BEGIN PUBLIC KEY-----"
    private const val PEM_FOOTER = "-----END PUBLIC KEY-----"

    /**
     * Parses an SPKI (`-----BEGIN PUBLIC KEY-----`) RSA public key as shown in Clerk's dashboard ("PEM public key")
     * or stored in `CLERK_JWT_KEY`. Tolerates CRLF, indentation, literal `\n` escapes (common in env files) and a
     * missing header/footer (bare base64 DER). Throws [IllegalArgumentException] with a message that never
     * contains the key material.
     */
    fun parsePemPublicKey(pem: String): RSAPublicKey {
        val text = pem.replace("\\n", "\n").replace("\\r", "\r").trim()
        require(text.isNotEmpty()) { "jwtKey is blank" }
        for (other in listOf("RSA PUBLIC KEY", "PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "CERTIFICATE")) {
            require(!text.contains("-----BEGIN $other-----")) {
                "jwtKey must be an SPKI public key (\"$PEM_HEADER\"), not a \"BEGIN $other\" block"
            }
        }
        val hasHeader = text.contains(PEM_HEADER)
        require(hasHeader == text.contains(PEM_FOOTER)) { "jwtKey has a PEM header without footer or vice versa" }
        val body = if (hasHeader) text.substringAfter(PEM_HEADER).substringBefore(PEM_FOOTER) else text
        val der = try {
            Base64.getDecoder().decode(body.filterNot { it.isWhitespace() })
        } catch (e: IllegalArgumentException) {
            throw IllegalArgumentException("jwtKey is not valid PEM: the key body is not base64", e)
        }
        val key = try {
            KeyFactory.getInstance("RSA").generatePublic(X509EncodedKeySpec(der))
        } catch (e: InvalidKeySpecException) {
            throw IllegalArgumentException("jwtKey is not an RSA public key in SPKI form", e)
        }
        require(key is RSAPublicKey) { "jwtKey is not an RSA public key" }
        require(key.modulus.bitLength() >= MIN_RSA_KEY_BITS) {
            "jwtKey is a ${key.modulus.bitLength()}-bit RSA key; at least $MIN_RSA_KEY_BITS bits are required"
        }
        return key
    }

    /**
     * Parses a JWKS document into `kid -> key`, keeping only RSA keys with a `kid`, usable for signatures
     * (`use` absent or `sig`), for RS256 (`alg` absent or `RS256`) and of at least [MIN_RSA_KEY_BITS] bits.
     * Throws [java.text.ParseException] when the document is not a JWKS.
     */
    fun parseJwks(json: String): Map<String, RSAPublicKey> {
        val set = JWKSet.parse(json)
        val keys = LinkedHashMap<String, RSAPublicKey>()
        for (jwk in set.keys) {
            if (jwk !is RSAKey) continue
            val kid = jwk.keyID ?: continue
            if (jwk.keyUse != null && jwk.keyUse != KeyUse.SIGNATURE) continue
            if (jwk.algorithm != null && jwk.algorithm != JWSAlgorithm.RS256) continue
            if (jwk.size() < MIN_RSA_KEY_BITS) continue
            val publicKey = try {
                jwk.toRSAPublicKey()
            } catch (_: JOSEException) {
                continue
            }
            keys.putIfAbsent(kid, publicKey)
        }
        return keys
    }

    /** Makes an attacker-controlled value safe and short enough to quote in an exception message. */
    fun String.forMessage(max: Int = 64): String {
        val printable = filter { it in ' '..'~' }
        return if (printable.length > max) printable.take(max) + "..." else printable
    }
}
