"""Recertification campaign generation: 10,000 active memberships (100 entitlements, 2,000
users), one campaign over all of them; the time and the number of queries of
`campaigns.open_campaign` (items inserted in batches, audited and indexed in one go).

    .venv/bin/python benchmarks/access_bench.py                            # SQLite
    IRTIS_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/irtis_bench \\
        .venv/bin/python benchmarks/access_bench.py                        # PostgreSQL
"""

import datetime as dt
import time

from common import analyze, setup_database, teardown_database

MEMBERSHIPS = 10_000
USERS = 2_000
ENTITLEMENTS = 100


def generate() -> object:
    from django.contrib.auth import get_user_model

    from irtis.access.models import Entitlement, Kind, Membership
    from irtis.audit.context import changes_by
    from irtis.core.bulk import save_objects

    model = get_user_model()
    admin = model.objects.create_superuser("bench", "bench@example.lt", "Bench-Sl4ptas!")
    with changes_by(admin):
        users = [model(username=f"naudotojas{i}", email=f"n{i}@muitine.lt") for i in range(USERS)]
        save_objects(users)
        rights = [Entitlement(name=f"Rolė {i}", kind=Kind.SYSTEM_ROLE, reference=f"r{i}", owner=users[i])
                  for i in range(ENTITLEMENTS)]
        save_objects(rights)
        until = dt.date(2030, 1, 1)
        save_objects([Membership(user=users[i % USERS], entitlement=rights[i // USERS * 20 + i % 20],
                                 valid_until=until) for i in range(MEMBERSHIPS)])
    return admin


def main() -> None:
    vendor = setup_database()
    try:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from irtis.access import campaigns
        from irtis.access.models import RecertificationCampaign, RecertificationItem
        from irtis.audit.context import changes_by

        admin = generate()
        analyze()
        with changes_by(admin):
            campaign = RecertificationCampaign.objects.create(name="Metinė peržiūra", deadline=dt.date(2030, 1, 1))
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                made = campaigns.open_campaign(campaign, admin)
                elapsed = time.perf_counter() - started
        assert made == MEMBERSHIPS == RecertificationItem.objects.count(), made
        print(f"{vendor}: campaign of {made} items generated in {elapsed:.2f} s, {len(queries)} queries")
    finally:
        teardown_database()


if __name__ == "__main__":
    main()
