"""Password hashing with the parameters RFC 9106 recommends for memory-constrained servers."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id, t=3, 64 MiB, p=4: RFC 9106 §4, the second recommended option.

    Django's defaults take 100 MiB per hash, so one sign-in lifted a web worker from ~110 MB to
    ~210 MB resident; 64 MiB keeps workers under 200 MB with the RFC's security margin. Hashes
    made with other parameters are upgraded at the next sign-in (`must_update`).
    """

    algorithm = "argon2"  # same format, so hashes made with Django's defaults still verify
    time_cost = 3
    memory_cost = 65536
    parallelism = 4
