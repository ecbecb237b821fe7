"""Name search (decision 0007): words without diacritics that start the name's words, a full
citizen ID or card number, only inside the subtree, at most SEARCH_CAP matches listed."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from apps.accounts.choices import Role
from apps.accounts.tests.factories import UserFactory
from apps.members import selectors
from apps.members.models import Member, name_tails
from apps.members.tests.factories import member, tree
from apps.organizations.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("folded", "tails"),
    [
        ("an", ("", "", "")),
        ("le an", ("", "", "an")),
        ("nguyen van an", ("", "van an", "an")),
        ("nguyen thi thu ha", ("thi thu ha", "thu ha", "ha")),
        ("ton nu thi minh ha", ("thi minh ha", "minh ha", "ha")),
        ("", ("", "", "")),
    ],
)
def test_name_tails(folded, tails):
    assert name_tails(folded) == tails


@pytest.fixture
def people():
    province, _grassroots, cell, lone = tree()
    names = [
        ("Nguyễn Văn An", "025085012345", lone),
        ("Lê Văn Anh", "025085012346", cell),
        ("Trần Thị Toàn", None, cell),
        ("Nguyễn Thị Thu Hà", None, cell),
        ("Hà Văn Sơn", None, cell),
        ("Tôn Nữ Thị Minh Hà", None, cell),
    ]
    made = {
        name: member(
            where, full_name=name, cccd=cccd, sex="female" if "Thị" in name else "male",
            birth_date=dt.date(1985, 4, 12) if cccd or "Thị" not in name else dt.date(1990, 1, 1),
        )
        for name, cccd, where in names
    }  # fmt: skip
    return province, cell, made


def _listed(org, query, **kwargs):
    rows = selectors.members_under(org)
    found = selectors.search_members(rows, query, **kwargs)
    return [m.full_name for m in selectors.members_in_order(rows, found.ids)], found.capped


def _found(org, query):
    return sorted(_listed(org, query)[0])


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("an", ["Lê Văn Anh", "Nguyễn Văn An"]),  # not Toàn: words start with the query
        ("AN", ["Lê Văn Anh", "Nguyễn Văn An"]),
        ("văn an", ["Lê Văn Anh", "Nguyễn Văn An"]),
        ("van an", ["Lê Văn Anh", "Nguyễn Văn An"]),
        ("nguyen van an", ["Nguyễn Văn An"]),
        ("Nguyễn", ["Nguyễn Thị Thu Hà", "Nguyễn Văn An"]),
        ("ha", ["Hà Văn Sơn", "Nguyễn Thị Thu Hà", "Tôn Nữ Thị Minh Hà"]),  # surname and given
        ("thu ha", ["Nguyễn Thị Thu Hà"]),
        ("thi thu", ["Nguyễn Thị Thu Hà"]),
        ("thi minh ha", ["Tôn Nữ Thị Minh Hà"]),
        ("  tran   THI  ", ["Trần Thị Toàn"]),
        ("oan", []),
        ("an van", []),  # words in the name's order only
        ("025085012346", ["Lê Văn Anh"]),  # a full citizen ID
        ("0250850123", []),  # part of one is not a search by name either
        ("%", []),
        ("_n", []),
    ],
)
def test_search_finds_word_starts_without_diacritics(people, query, names):
    province, _cell, _made = people
    assert _found(province, query) == names


def test_search_by_card_number_and_only_inside_the_subtree(people):
    province, cell, made = people
    an = made["Nguyễn Văn An"]
    Member.objects.filter(pk=an.pk).update(card_number="25000123")
    assert _found(province, "25000123") == ["Nguyễn Văn An"]
    assert _found(cell, "25000123") == []  # An's cell is not under this one
    assert _found(cell, "an") == ["Lê Văn Anh"]


def test_search_lists_in_list_order_and_caps_the_matches(people):
    province, _cell, _made = people
    # Vietnamese list order: given name first (Hà, Hà, then Sơn), as the database orders them.
    listed = ["Tôn Nữ Thị Minh Hà", "Nguyễn Thị Thu Hà", "Hà Văn Sơn"]  # Hà Nữ … < Hà Thị …
    assert _listed(province, "ha") == (listed, False)
    in_db = selectors.name_matches(selectors.members_under(province), "ha").order_by("sort_key")
    assert [m.full_name for m in in_db] == listed
    names, capped = _listed(province, "ha", cap=2)
    assert capped and len(names) == 2 and set(names) < set(listed)
    assert _listed(province, "ha", cap=3) == (listed, False)


def test_the_page_says_when_a_search_is_capped_and_keeps_the_query(client, people, monkeypatch):
    province, _cell, _made = people
    client.force_login(UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")))
    page = client.get(f"/party/orgs/{province.pk}/?q=ha").content.decode()
    assert "Tôn Nữ Thị Minh Hà" in page and "Nguyễn Văn An" not in page
    assert 'id="search-capped"' not in page and 'value="ha"' in page
    monkeypatch.setattr(selectors, "SEARCH_CAP", 2)
    page = client.get(f"/party/orgs/{province.pk}/?q=ha").content.decode()
    assert "Hơn 2 đảng viên khớp" in page
    assert page.count('href="/party/members/') == 2
    page = client.get(f"/party/orgs/{province.pk}/?q=oan").content.decode()
    assert "Không tìm thấy đảng viên nào" in page


def test_api_search_uses_the_same_rules(client, people):
    province, _cell, _made = people
    client.force_login(UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")))
    rows = client.get(f"/api/party-members/?org={province.pk}&q=van an").json()["results"]
    assert sorted(r["full_name"] for r in rows) == ["Lê Văn Anh", "Nguyễn Văn An"]


def test_migration_fills_the_name_columns_of_existing_members(people):
    """The data step of migration 0013 on this database (SQL on PostgreSQL, Python elsewhere)."""
    _province, _cell, made = people
    Member.objects.update(search_last3="", search_last2="", search_given="")
    migration = importlib.import_module("apps.members.migrations.0013_member_name_search")
    # What the migration uses of a schema editor (SQLite refuses a real one inside a test's
    # transaction).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.fill(django_apps, editor)
    for m in Member.objects.all():
        assert (m.search_last3, m.search_last2, m.search_given) == name_tails(m.search_name)
    assert Member.objects.exclude(search_given="").count() == len(made)


def test_the_subtree_page_counts_each_child_in_one_query(
    client, people, django_assert_max_num_queries
):
    """Counts per child come from one grouped query, whatever the number of children; the total
    is their sum (the pager reuses it)."""
    from apps.members.choices import OrgKind
    from apps.members.tests.factories import org

    province, cell, _made = people
    for _ in range(5):
        org(OrgKind.GRASSROOTS_CELL, province)  # empty children: 0 members each
    client.force_login(UserFactory(role=Role.CENTRAL_OFFICER, unit=UnitFactory(kind="central")))
    assert selectors.member_counts_by_child(province) == {
        cell.parent.path: 5,  # the grassroots committee holding the cell
        Member.objects.get(full_name="Nguyễn Văn An").org_path: 1,  # the lone grassroots cell
    }
    with django_assert_max_num_queries(12) as queries:
        page = client.get(f"/party/orgs/{province.pk}/").content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1, counts
    assert "6 đảng viên trong nhánh này" in page and "Tổng số: 6" in page
