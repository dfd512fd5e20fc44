package dev.gatehouse.core.testing;

/**
 * Fixed self-signed X.509 certificates (RSA-2048, made once with keytool) for tests of IdP certificate handling:
 * two valid until 2034 (a rollover pair) and one that expired in 2020. Shared through the core test-jar.
 */
public final class TestCertificates {
    /** CN=Test IdP 1, O=Gatehouse Tests; valid 2025-01-01 to 2034-12-30. */
    public static final String IDP_1 = """
            -----BEGIN CERTIFICATE-----
            MIIDATCCAemgAwIBAgIIOY+lC85eLVgwDQYJKoZIhvcNAQEMBQAwLzEYMBYGA1UE
            ChMPR2F0ZWhvdXNlIFRlc3RzMRMwEQYDVQQDEwpUZXN0IElkUCAxMB4XDTI1MDEw
            MTA1NTAzMFoXDTM0MTIzMDA1NTAzMFowLzEYMBYGA1UEChMPR2F0ZWhvdXNlIFRl
            c3RzMRMwEQYDVQQDEwpUZXN0IElkUCAxMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A
            MIIBCgKCAQEAkfseQEcvnOPcbkEaYn8Aemr9m4ttraHnb4sRoxHnl2nWomvaxMCx
            t9CLoTW00MV5Bk8rfbWMEgWVAwmkH/b1W4bE8Dk4jGv0kZ3HKYVqnQ4pqLEI17FM
            E0GNDV+kLmrsIiuh7y/Wk5SacMem9d3+S1ec1qN6EoQ2j7nucku/dz1qP+THd/lU
            HAWF3TwS/Dgr/kXmVw9jEcfSVYD4L4PVcWzlGYZJyBSaUVjRwKOLvc/nmM4wIx9/
            zxJRiCtwVH+2XAAO1vsQsyr1VTE1tjPpsJ2Uol8skMFkn4etRTxD2nEYInnRyrTD
            gwmO5O915yjO2ISqHw3HWPdONcdUuF5MAwIDAQABoyEwHzAdBgNVHQ4EFgQUQDwQ
            N0dKN06iNzF4islxsC3XmhYwDQYJKoZIhvcNAQEMBQADggEBAFeWECZ2vsvcuUDl
            l6dzgC353fimzJbtSOkrmlS+9tSgtk01WNUK9T1o/yEFth+1ZboBDcv5U3cqac3/
            D4UET/ZcLvBThGgEKCHFu+vJVyyYT+zQkncSr6SfE7KLfVb/QplmCCm7+xVgEgwz
            vXBhaCMGgYfRJ4kb+4+g1ouFLLSH9bHCLidh6YQfm3X11U3G1lwmBkF9//DIzdY3
            3ws3iiZLmLPf0/OwYcRb0DYNKrz9GrAeXYuGbDcHB1kz2SpDLKDjcux/U8fXh+M8
            ANnO3oFUxLz6sEPg3dH+EzGENkETrHIn1kvfJc4CO4r8nzigOz9LLEiubT9KCFFd
            zLF9dhs=
            -----END CERTIFICATE-----
            """;

    /** CN=Test IdP 2, O=Gatehouse Tests; valid 2025-01-01 to 2034-12-30. */
    public static final String IDP_2 = """
            -----BEGIN CERTIFICATE-----
            MIIDAjCCAeqgAwIBAgIJAO7lidcvn+ooMA0GCSqGSIb3DQEBDAUAMC8xGDAWBgNV
            BAoTD0dhdGVob3VzZSBUZXN0czETMBEGA1UEAxMKVGVzdCBJZFAgMjAeFw0yNTAx
            MDEwNTUwMzRaFw0zNDEyMzAwNTUwMzRaMC8xGDAWBgNVBAoTD0dhdGVob3VzZSBU
            ZXN0czETMBEGA1UEAxMKVGVzdCBJZFAgMjCCASIwDQYJKoZIhvcNAQEBBQADggEP
            ADCCAQoCggEBAOyAze3NgzkavZ7spftwACigcarmrNNBFSdgzkX4Gy0LPFGniu4T
            sChaBtGQHpG0vTgaUG5X8rE8GRhAJEqWKmuUt6pKlwjJGaT4ltjsMDUdsZU+wvl9
            aw2PqrwgQvwhACZgZ6jyTDSUu3duLkmu1FDifCGiWBImx7Ip1pT7bPQMlI5XbQ9X
            ILyEB3UjFBjd4KOxqff5PbrPwnmvfCe+CzMdZyaIRYp0te38+HT3pY+7sHQopiKk
            rq39zqf5KW6US30zU1k/x148SCAitR17j7H5VVsIC4CBw6o+8PaqDiEZJ/TRumfq
            plbDx+asVbRZztM93qCpMKGZx2jwkxityzUCAwEAAaMhMB8wHQYDVR0OBBYEFA2Q
            3M7oIiWN9XdjXVIpjNqQEjW9MA0GCSqGSIb3DQEBDAUAA4IBAQBRNGuQHAcMSWhw
            oaB6ORWFmhraT2FA4SIYc7Ca1Yb3ZCOuTG5ECPk1SpphUtWLqgHGcZd8yl76QgKu
            85nSz3+uUwX9tYQMc02WBQzQIQflj6of3y9/n+5zdswqkKuKjKxX01QG/CDiwASj
            TtnVqZGyn5lSC3pmgg6MeOXarn7tELG5exX6tJNR0X/SlcNIdEQbA2tq9YLevv+1
            nTR+N5t+8uaOIHrfeMtlJbZZeIbRHfjXq+hQ/AJzo4P+dh3u59DfVs3QdEqq8CYV
            bVT+igx7JBzVvviztoPmep5IyGc7WzCYdPE5SBJUjj33Qf2/HLlYJl0HAvh9L6rg
            J9Nx6Jqo
            -----END CERTIFICATE-----
            """;

    /** CN=Expired IdP; valid 2020-01-01 to 2020-01-31. */
    public static final String EXPIRED = """
            -----BEGIN CERTIFICATE-----
            MIIC0DCCAbigAwIBAgIJAKFTXiTaMmDgMA0GCSqGSIb3DQEBDAUAMBYxFDASBgNV
            BAMTC0V4cGlyZWQgSWRQMB4XDTIwMDEwMTA1NTAzN1oXDTIwMDEzMTA1NTAzN1ow
            FjEUMBIGA1UEAxMLRXhwaXJlZCBJZFAwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAw
            ggEKAoIBAQDaRepU+ly/hw3QMPaKDn6scnbYHHMQ/gNMTcT54dCwBlqMZsKV859E
            14DxfbMqrtddHX5Vo0V5E785KAiJb5AdwwUVUqCgWue7wapuoO3F6Fzi4h3PToZm
            4m5CDciIGLIj2jKm/LziIglPKia815+uhFTiygfbfNnMUlj6uVqmf5S6y14Pcq8H
            RNA4mx84usMr/RBnNsi2eviRJ4RZE7YB+x0GrAc+sLhRm3/HkbCtEiDxbzRHopQk
            /tYxlj5uXdbPLorpfD8PDMdGR2suJMpKcnhox3yW4sjLetRBWE/OyhU+QTuJkfw/
            TOB7bE0REx8fNHL9JiDbY6fndIsCjm4DAgMBAAGjITAfMB0GA1UdDgQWBBQqEJAG
            JmpRyGuIqk+dEfDU7dUk7DANBgkqhkiG9w0BAQwFAAOCAQEAjezYgkOur7Sj1l6Z
            on8Ifs6xKcZnSabqv9RY3wPVq96ouG5TeJZhshXOXXv+Em1nHJoXQ6bubrEfoKfv
            gMoDY/nbmqvt+5kSXkoynWbyQCAPQv46OydPdkZlTZuqRMYYfb2Kq2m8iTtG+LGO
            pFoaDH6iK34oKblBpVCof1L0jOthjKmVcPNa8rwrC1DrEiuylfW0qpHX8eOqYqFY
            YD3sPYavsrJFp31+14n2Kesj7miqlv+rtuAV5Zw89LTYSdf/FZiK4Snz3Fotex2v
            oDkhZjzZ3FBYrMYdREiCWx6Kq17lhQCeyZbgO/LZfrj3aa5LOxIa8pLa+y/pPwrd
            Kcr2TA==
            -----END CERTIFICATE-----
            """;

    private TestCertificates() {}

    /** The base64 body of a PEM certificate, as it appears in SAML metadata and AD FS exports. */
    public static String body(String pem) {
        return pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "").replaceAll("\\s", "");
    }
}
