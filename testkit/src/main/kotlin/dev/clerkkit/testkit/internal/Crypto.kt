package dev.clerkkit.testkit.internal

import com.nimbusds.jose.JOSEObjectType
import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.JWSHeader
import com.nimbusds.jose.crypto.RSASSASigner
import com.nimbusds.jose.crypto.RSASSAVerifier
import com.nimbusds.jose.jwk.JWKSet
import com.nimbusds.jose.jwk.KeyUse
import com.nimbusds.jose.jwk.RSAKey
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator
import com.nimbusds.jwt.JWTClaimsSet
import com.nimbusds.jwt.SignedJWT
import org.bouncycastle.asn1.x500.X500Name
import org.bouncycastle.asn1.x509.BasicConstraints
import org.bouncycastle.asn1.x509.Extension
import org.bouncycastle.asn1.x509.GeneralName
import org.bouncycastle.asn1.x509.GeneralNames
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder
import java.math.BigInteger
import java.security.KeyPairGenerator
import java.security.KeyStore
import java.security.SecureRandom
import java.security.cert.X509Certificate
import java.util.Date
import java.util.concurrent.CopyOnWriteArrayList
import javax.net.ssl.KeyManagerFactory
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory

/** RS256 signing keys: the last one is active; older ones stay published in the JWKS until retired. */
internal class SigningKeys {
    private val keys = CopyOnWriteArrayList<RSAKey>().apply { add(generate()) }

    val active: RSAKey get() = keys.last()

    val all: List<RSAKey> get() = keys.toList()

    fun rotate(): String = generate().also { keys.add(it) }.keyID

    fun retireOld() {
        val current = active
        keys.retainAll { it.keyID == current.keyID }
    }

    fun sign(claims: JWTClaimsSet, category: String? = null): String {
        val key = active
        val header = JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.keyID).type(JOSEObjectType.JWT)
            .apply { if (category != null) customParam("cat", category) }
            .build()
        val jwt = SignedJWT(header, claims)
        jwt.sign(RSASSASigner(key))
        return jwt.serialize()
    }

    /** Parses [token] and checks its RS256 signature against a published key; `null` when invalid. */
    fun verify(token: String): JWTClaimsSet? = try {
        val jwt = SignedJWT.parse(token)
        val key = keys.firstOrNull { it.keyID == jwt.header.keyID }
        if (key != null && jwt.header.algorithm == JWSAlgorithm.RS256 && jwt.verify(RSASSAVerifier(key.toRSAPublicKey()))) {
            jwt.jwtClaimsSet
        } else {
            null
        }
    } catch (_: Exception) {
        null
    }

    fun jwksJson(): String = JWKSet(keys.map { it.toPublicJWK() }).toString(true)

    private fun generate(): RSAKey = RSAKeyGenerator(2048)
        .keyID(ClerkJson.id("ins_"))
        .keyUse(KeyUse.SIGNATURE)
        .algorithm(JWSAlgorithm.RS256)
        .generate()
}

/** A self-signed TLS certificate for `localhost`, `127.0.0.1` and `::1`, made with Bouncy Castle at start. */
internal class SelfSignedTls {
    val certificate: X509Certificate
    val serverContext: SSLContext
    val trustStore: KeyStore

    init {
        val keyPair = KeyPairGenerator.getInstance("RSA").apply { initialize(2048) }.generateKeyPair()
        val name = X500Name("CN=localhost, O=clerkkit sandbox")
        val now = System.currentTimeMillis()
        val builder = JcaX509v3CertificateBuilder(
            name,
            BigInteger(64, SecureRandom()),
            Date(now - 3_600_000),
            Date(now + 365L * 24 * 3_600_000),
            name,
            keyPair.public,
        )
        builder.addExtension(Extension.basicConstraints, true, BasicConstraints(false))
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            GeneralNames(
                arrayOf(
                    GeneralName(GeneralName.dNSName, "localhost"),
                    GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    GeneralName(GeneralName.iPAddress, "::1"),
                ),
            ),
        )
        val signer = JcaContentSignerBuilder("SHA256withRSA").build(keyPair.private)
        certificate = JcaX509CertificateConverter().getCertificate(builder.build(signer))
        val password = "sandbox".toCharArray()
        val keyStore = KeyStore.getInstance("PKCS12").apply {
            load(null, null)
            setKeyEntry("sandbox", keyPair.private, password, arrayOf(certificate))
        }
        val kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm()).apply { init(keyStore, password) }
        serverContext = SSLContext.getInstance("TLS").apply { init(kmf.keyManagers, null, null) }
        trustStore = KeyStore.getInstance("PKCS12").apply {
            load(null, null)
            setCertificateEntry("clerk-sandbox", certificate)
        }
    }

    fun clientContext(): SSLContext {
        val tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).apply { init(trustStore) }
        return SSLContext.getInstance("TLS").apply { init(null, tmf.trustManagers, null) }
    }
}
