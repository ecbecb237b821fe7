import datetime as dt

import factory

from apps.organizations.choices import ProvinceKind, ProvinceScheme, UnitKind
from apps.organizations.models import Cluster, Province, Sector, Unit


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    scheme = ProvinceScheme.POST_2025
    code = factory.Sequence(lambda n: f"{(n % 99) + 1:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh thử {n}")
    kind = ProvinceKind.PROVINCE


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Ban Tổ chức Tỉnh ủy Thử {n}")
    short_name = factory.Sequence(lambda n: f"Thử {n}")
    kind = UnitKind.PROVINCIAL_BOARD
    active_from = dt.date(2020, 1, 1)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = "to-chuc-xay-dung-dang"
    name = "Ngành Tổ chức xây dựng Đảng"


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    sector = factory.SubFactory(SectorFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Cụm thi đua số {o.number}")
