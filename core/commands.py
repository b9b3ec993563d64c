"""What a conversation step asks `core` to do. Plain data; services carry them out."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.people import Role


@dataclass(frozen=True)
class SetLanguage:
    language: str


@dataclass(frozen=True)
class GiveConsent:
    pass


@dataclass(frozen=True)
class ChooseRole:
    role: Role


@dataclass(frozen=True)
class KeepReferral:
    code: str


@dataclass(frozen=True)
class OptOut:
    pass


@dataclass(frozen=True)
class OptIn:
    pass


@dataclass(frozen=True)
class RequestHuman:
    state: str


@dataclass(frozen=True)
class ErasePerson:
    pass


@dataclass(frozen=True)
class RegisterOrganisation:
    name: str
    kind: str
    commune_code: str


@dataclass(frozen=True)
class RequestToJoin:
    organisation_id: int
    note: str


@dataclass(frozen=True)
class DecideMembership:
    member_id: int
    accept: bool


Command = (
    SetLanguage | GiveConsent | ChooseRole | KeepReferral | OptOut | OptIn | RequestHuman
    | ErasePerson | RegisterOrganisation | RequestToJoin | DecideMembership
)
