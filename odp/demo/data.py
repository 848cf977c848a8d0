"""What the demo data is: real departments and agencies, named sign-ins, and the people in them.

Organisation names, kinds and parents are real (as listed on GOV.UK); the people are invented, and so
is the private partner. Headcounts are small and only meant to look proportionate: big operational
departments (DWP, HMRC, HMPPS, the Home Office's operational bodies) hold most of the members."""

from __future__ import annotations

from dataclasses import dataclass, field

from odp.models import Grade, JobFamily, OrganisationKind, Region, Role

# Demo-only. Set only in the embedded profile (settings.ODP_EMBEDDED); documented in docs/demo-accounts.md.
DEMO_PASSWORD = "odp-demo-password"  # noqa: S105
# Changing the seed changes every generated name, grade and team; keep it fixed so demos and tests agree.
DEMO_SEED = "odp-hub-demo-v1"
EMAIL_DOMAIN = "demo.odp-hub.example"

MINISTERIAL = OrganisationKind.MINISTERIAL_DEPARTMENT
NON_MINISTERIAL = OrganisationKind.NON_MINISTERIAL_DEPARTMENT
AGENCY = OrganisationKind.EXECUTIVE_AGENCY
ALB = OrganisationKind.ARMS_LENGTH_BODY

J = JobFamily
R = Region


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    short_name: str
    kind: str
    parent: str | None  # slug of the parent, defined earlier in ORGANISATIONS
    headcount: int  # generated members, on top of any named demo account
    # Weighted choices for the generated members' frontline job families and regions.
    job_families: tuple[tuple[str, int], ...]
    regions: tuple[tuple[str, int], ...]
    senior_civil_servant: bool = False  # has a Deputy Director (SCS1) among its generated members


# Shorthands for the weightings below.
_HQ_FAMILIES = ((J.PLANNING_AND_PERFORMANCE, 3), (J.OPERATIONAL_IMPROVEMENT, 3), (J.CASEWORK, 2))
_LONDON_HQ = ((R.LONDON, 6), (R.YORKSHIRE, 1), (R.NORTH_WEST, 1))

# A table, kept dense on purpose. Fields: slug, name, short name, kind, parent slug, generated headcount,
# weighted job families, weighted regions[, has an SCS1].
# Parents come before children. The Home Office's Border Force, HM Passport Office and UK Visas and
# Immigration are operational commands inside the department; the model has no kind for that, so they
# are recorded as executive agencies (their nearest kind) with the Home Office as parent.
# fmt: off
ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        "dwp", "Department for Work and Pensions", "DWP", MINISTERIAL, None, 70,
        ((J.CUSTOMER_SERVICE, 5), (J.CASEWORK, 4), (J.COMPLIANCE, 2)),
        ((R.NORTH_EAST, 3), (R.NORTH_WEST, 3), (R.YORKSHIRE, 3), (R.SCOTLAND, 2), (R.WALES, 2),
         (R.WEST_MIDLANDS, 2), (R.EAST_MIDLANDS, 1), (R.LONDON, 1), (R.SOUTH_WEST, 1)),
        senior_civil_servant=True,
    ),
    OrganisationSpec(
        "hmrc", "HM Revenue & Customs", "HMRC", NON_MINISTERIAL, None, 60,
        ((J.CUSTOMER_SERVICE, 5), (J.COMPLIANCE, 4), (J.CASEWORK, 3)),
        ((R.NORTH_EAST, 3), (R.SCOTLAND, 3), (R.WALES, 2), (R.WEST_MIDLANDS, 2), (R.YORKSHIRE, 2),
         (R.NORTH_WEST, 2), (R.LONDON, 1), (R.NORTHERN_IRELAND, 1)),
        senior_civil_servant=True,
    ),
    OrganisationSpec(
        "valuation-office-agency", "Valuation Office Agency", "VOA", AGENCY, "hmrc", 6,
        ((J.CASEWORK, 3), (J.COMPLIANCE, 1)),
        ((R.NORTH_WEST, 1), (R.WEST_MIDLANDS, 1), (R.LONDON, 1), (R.SCOTLAND, 1)),
    ),
    OrganisationSpec(
        "home-office", "Home Office", "Home Office", MINISTERIAL, None, 8, _HQ_FAMILIES,
        ((R.LONDON, 4), (R.NORTH_WEST, 1), (R.SOUTH_EAST, 1)),
    ),
    OrganisationSpec(
        "hm-passport-office", "HM Passport Office", "HMPO", AGENCY, "home-office", 25,
        ((J.CUSTOMER_SERVICE, 3), (J.CASEWORK, 4)),
        ((R.NORTH_WEST, 3), (R.WALES, 2), (R.NORTH_EAST, 2), (R.LONDON, 1), (R.SCOTLAND, 1),
         (R.NORTHERN_IRELAND, 1)),
    ),
    OrganisationSpec(
        "border-force", "Border Force", "Border Force", AGENCY, "home-office", 30,
        ((J.BORDER_AND_SECURITY, 8), (J.COMPLIANCE, 1)),
        ((R.SOUTH_EAST, 4), (R.LONDON, 4), (R.EAST, 2), (R.NORTH_WEST, 1), (R.SCOTLAND, 1),
         (R.OVERSEAS, 1)),
    ),
    OrganisationSpec(
        "uk-visas-and-immigration", "UK Visas and Immigration", "UKVI", AGENCY, "home-office", 25,
        ((J.CASEWORK, 6), (J.CUSTOMER_SERVICE, 2)),
        ((R.YORKSHIRE, 3), (R.NORTH_WEST, 2), (R.WEST_MIDLANDS, 2), (R.LONDON, 1), (R.SCOTLAND, 1)),
    ),
    OrganisationSpec(
        "disclosure-and-barring-service", "Disclosure and Barring Service", "DBS", ALB, "home-office", 3,
        ((J.CASEWORK, 3), (J.CUSTOMER_SERVICE, 1)),
        ((R.NORTH_EAST, 1), (R.NORTH_WEST, 1)),
    ),
    OrganisationSpec(
        "ministry-of-justice", "Ministry of Justice", "MoJ", MINISTERIAL, None, 4, _HQ_FAMILIES, _LONDON_HQ,
    ),
    OrganisationSpec(
        "hm-prison-and-probation-service", "HM Prison and Probation Service", "HMPPS", AGENCY,
        "ministry-of-justice", 50,
        ((J.CUSTODY_AND_PROBATION, 9), (J.CASEWORK, 1)),
        ((R.NORTH_WEST, 2), (R.NORTH_EAST, 1), (R.YORKSHIRE, 2), (R.EAST_MIDLANDS, 2), (R.WEST_MIDLANDS, 2),
         (R.EAST, 1), (R.LONDON, 2), (R.SOUTH_EAST, 2), (R.SOUTH_WEST, 1), (R.WALES, 1)),
    ),
    OrganisationSpec(
        "hm-courts-and-tribunals-service", "HM Courts & Tribunals Service", "HMCTS", AGENCY,
        "ministry-of-justice", 20,
        ((J.CASEWORK, 5), (J.CUSTOMER_SERVICE, 3)),
        ((R.LONDON, 2), (R.NORTH_WEST, 1), (R.WEST_MIDLANDS, 1), (R.YORKSHIRE, 1), (R.SOUTH_EAST, 1),
         (R.WALES, 1)),
    ),
    OrganisationSpec(
        "legal-aid-agency", "Legal Aid Agency", "LAA", AGENCY, "ministry-of-justice", 4,
        ((J.CASEWORK, 3),), ((R.NORTH_EAST, 1), (R.LONDON, 1)),
    ),
    OrganisationSpec(
        "office-of-the-public-guardian", "Office of the Public Guardian", "OPG", AGENCY,
        "ministry-of-justice", 4,
        ((J.CASEWORK, 3), (J.CUSTOMER_SERVICE, 1)), ((R.WEST_MIDLANDS, 2), (R.EAST_MIDLANDS, 1)),
    ),
    OrganisationSpec(
        "department-for-transport", "Department for Transport", "DfT", MINISTERIAL, None, 3,
        _HQ_FAMILIES, ((R.LONDON, 3), (R.WEST_MIDLANDS, 1)),
    ),
    OrganisationSpec(
        "driver-and-vehicle-licensing-agency", "Driver and Vehicle Licensing Agency", "DVLA", AGENCY,
        "department-for-transport", 15,
        ((J.CUSTOMER_SERVICE, 4), (J.CASEWORK, 3)), ((R.WALES, 1),),
    ),
    OrganisationSpec(
        "driver-and-vehicle-standards-agency", "Driver and Vehicle Standards Agency", "DVSA", AGENCY,
        "department-for-transport", 8,
        ((J.COMPLIANCE, 3), (J.CUSTOMER_SERVICE, 2)),
        ((R.EAST_MIDLANDS, 2), (R.WEST_MIDLANDS, 1), (R.SOUTH_WEST, 1), (R.NORTH_WEST, 1)),
    ),
    OrganisationSpec(
        "maritime-and-coastguard-agency", "Maritime and Coastguard Agency", "MCA", AGENCY,
        "department-for-transport", 3,
        ((J.COMPLIANCE, 2), (J.CUSTOMER_SERVICE, 1)), ((R.SOUTH_EAST, 1), (R.SCOTLAND, 1)),
    ),
    OrganisationSpec(
        "department-for-business-and-trade", "Department for Business and Trade", "DBT", MINISTERIAL, None, 3,
        _HQ_FAMILIES, ((R.LONDON, 3), (R.NORTH_EAST, 1)),
    ),
    OrganisationSpec(
        "companies-house", "Companies House", "Companies House", AGENCY,
        "department-for-business-and-trade", 8,
        ((J.CASEWORK, 3), (J.CUSTOMER_SERVICE, 2), (J.COMPLIANCE, 1)), ((R.WALES, 5), (R.SCOTLAND, 1)),
    ),
    OrganisationSpec(
        "insolvency-service", "The Insolvency Service", "Insolvency Service", AGENCY,
        "department-for-business-and-trade", 6,
        ((J.CASEWORK, 3), (J.COMPLIANCE, 2)),
        ((R.WEST_MIDLANDS, 2), (R.LONDON, 1), (R.NORTH_WEST, 1), (R.YORKSHIRE, 1)),
    ),
    OrganisationSpec(
        "cabinet-office", "Cabinet Office", "Cabinet Office", MINISTERIAL, None, 4, _HQ_FAMILIES,
        ((R.LONDON, 3), (R.YORKSHIRE, 1), (R.SCOTLAND, 1)),
    ),
    OrganisationSpec(
        "department-for-education", "Department for Education", "DfE", MINISTERIAL, None, 3,
        _HQ_FAMILIES, ((R.LONDON, 1), (R.YORKSHIRE, 1), (R.NORTH_EAST, 1)),
    ),
    OrganisationSpec(
        "student-loans-company", "Student Loans Company", "SLC", ALB, "department-for-education", 8,
        ((J.CUSTOMER_SERVICE, 3), (J.CASEWORK, 2)), ((R.SCOTLAND, 3), (R.NORTH_EAST, 1), (R.WALES, 1)),
    ),
    OrganisationSpec(
        "department-for-environment-food-rural-affairs", "Department for Environment, Food & Rural Affairs",
        "Defra", MINISTERIAL, None, 3, _HQ_FAMILIES, ((R.LONDON, 1), (R.YORKSHIRE, 1), (R.SOUTH_WEST, 1)),
    ),
    OrganisationSpec(
        "rural-payments-agency", "Rural Payments Agency", "RPA", AGENCY,
        "department-for-environment-food-rural-affairs", 8,
        ((J.CASEWORK, 4), (J.CUSTOMER_SERVICE, 2), (J.COMPLIANCE, 1)),
        ((R.NORTH_WEST, 2), (R.YORKSHIRE, 1), (R.EAST_MIDLANDS, 1), (R.SOUTH_WEST, 1)),
    ),
    OrganisationSpec(
        "animal-and-plant-health-agency", "Animal and Plant Health Agency", "APHA", AGENCY,
        "department-for-environment-food-rural-affairs", 3,
        ((J.COMPLIANCE, 2), (J.CASEWORK, 1)), ((R.SOUTH_EAST, 1), (R.WALES, 1), (R.NORTH_WEST, 1)),
    ),
    OrganisationSpec(
        "department-of-health-and-social-care", "Department of Health and Social Care", "DHSC", MINISTERIAL,
        None, 2, _HQ_FAMILIES, ((R.LONDON, 1), (R.YORKSHIRE, 1)),
    ),
    OrganisationSpec(
        "uk-health-security-agency", "UK Health Security Agency", "UKHSA", AGENCY,
        "department-of-health-and-social-care", 4,
        ((J.CASEWORK, 2), (J.CUSTOMER_SERVICE, 1), (J.PLANNING_AND_PERFORMANCE, 1)),
        ((R.LONDON, 1), (R.SOUTH_WEST, 1), (R.NORTH_WEST, 1)),
    ),
    OrganisationSpec(
        "ministry-of-defence", "Ministry of Defence", "MOD", MINISTERIAL, None, 5,
        ((J.CASEWORK, 2), (J.CUSTOMER_SERVICE, 2), (J.PLANNING_AND_PERFORMANCE, 1)),
        ((R.SOUTH_WEST, 2), (R.LONDON, 1), (R.SCOTLAND, 1), (R.OVERSEAS, 1)),
    ),
    OrganisationSpec(
        "foreign-commonwealth-development-office", "Foreign, Commonwealth & Development Office", "FCDO",
        MINISTERIAL, None, 5,
        ((J.CUSTOMER_SERVICE, 2), (J.CASEWORK, 2), (J.OPERATIONAL_MANAGEMENT, 1)),
        ((R.OVERSEAS, 3), (R.LONDON, 1), (R.SCOTLAND, 1)),
    ),
    OrganisationSpec(
        "hm-land-registry", "HM Land Registry", "HMLR", NON_MINISTERIAL, None, 8,
        ((J.CASEWORK, 5), (J.CUSTOMER_SERVICE, 1)),
        ((R.SOUTH_WEST, 2), (R.WALES, 1), (R.NORTH_WEST, 1), (R.EAST_MIDLANDS, 1), (R.NORTH_EAST, 1)),
    ),
    OrganisationSpec(
        "crown-prosecution-service", "Crown Prosecution Service", "CPS", NON_MINISTERIAL, None, 4,
        ((J.CASEWORK, 4),), ((R.LONDON, 1), (R.NORTH_WEST, 1), (R.WEST_MIDLANDS, 1), (R.YORKSHIRE, 1)),
    ),
    OrganisationSpec(
        "manchester-city-council", "Manchester City Council", "Manchester", OrganisationKind.LOCAL_AUTHORITY,
        None, 5, ((J.CUSTOMER_SERVICE, 3), (J.CASEWORK, 2)), ((R.NORTH_WEST, 1),),
    ),
    OrganisationSpec(
        "kent-county-council", "Kent County Council", "Kent", OrganisationKind.LOCAL_AUTHORITY,
        None, 5, ((J.CUSTOMER_SERVICE, 3), (J.CASEWORK, 2)), ((R.SOUTH_EAST, 1),),
    ),
    OrganisationSpec(
        "northgate-contact-services", "Northgate Contact Services Ltd (illustrative partner)", "Northgate",
        OrganisationKind.PRIVATE_PARTNER, None, 6, ((J.CUSTOMER_SERVICE, 1),),
        ((R.NORTH_EAST, 2), (R.YORKSHIRE, 1)),
    ),
)


@dataclass(frozen=True)
class AccountSpec:
    """A named sign-in for one role. It joins its organisation's teams like any generated member."""

    username: str
    first_name: str
    last_name: str
    organisation: str  # slug
    grade: str
    job_family: str
    region: str
    description: str  # what to try with this sign-in (printed, and in docs/demo-accounts.md)
    # Explicit role assignments as (role, organisation slug or None). Staff and line manager are implied.
    roles: tuple[tuple[str, str | None], ...] = field(default=())


# The central ODP team and the SRRT are placed in the Cabinet Office for the demo (an illustrative choice).
DEMO_ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec(
        "staff", "Amelia", "Hughes", "hm-passport-office", Grade.EO, J.CASEWORK, R.NORTH_WEST,
        "Staff member: a passport examiner (EO) whose line manager is `manager`.",
    ),
    AccountSpec(
        "manager", "Daniel", "Okafor", "hm-passport-office", Grade.HEO, J.OPERATIONAL_MANAGEMENT, R.NORTH_WEST,
        "Line manager: leads a team of examiners in HM Passport Office, including `staff`.",
    ),
    AccountSpec(
        "hop.homeoffice", "Fiona", "MacLeod", "home-office", Grade.SCS2, J.OPERATIONAL_MANAGEMENT, R.LONDON,
        "Head of profession for the Home Office, covering Border Force, HM Passport Office, UKVI and DBS.",
        roles=((Role.HEAD_OF_PROFESSION, "home-office"),),
    ),
    AccountSpec(
        "hop.dwp", "Rajesh", "Patel", "dwp", Grade.SCS2, J.OPERATIONAL_MANAGEMENT, R.NORTH_EAST,
        "Head of profession for the Department for Work and Pensions.",
        roles=((Role.HEAD_OF_PROFESSION, "dwp"),),
    ),
    AccountSpec(
        "admin", "Catherine", "Evans", "cabinet-office", Grade.G7, J.PLANNING_AND_PERFORMANCE, R.LONDON,
        "ODP admin: skills framework, interventions, objectives and the annual report.",
        roles=((Role.ODP_ADMIN, None),),
    ),
    AccountSpec(
        "admin2", "Priya", "Sharma", "cabinet-office", Grade.G6, J.PLANNING_AND_PERFORMANCE, R.LONDON,
        "Second ODP admin: approves and publishes the annual report that `admin` wrote (nobody approves their own).",
        roles=((Role.ODP_ADMIN, None),),
    ),
    AccountSpec(
        "coordinator", "Gareth", "Price", "cabinet-office", Grade.SEO, J.OPERATIONAL_MANAGEMENT, R.YORKSHIRE,
        "SRRT coordinator: triages surge requests and assigns responders.",
        roles=((Role.SRRT_COORDINATOR, None),),
    ),
    AccountSpec(
        "responder", "Zainab", "Hussain", "cabinet-office", Grade.EO, J.CUSTOMER_SERVICE, R.YORKSHIRE,
        "SRRT responder: keeps clearance, skills and availability current; sees deployments.",
        roles=((Role.SRRT_RESPONDER, None),),
    ),
    AccountSpec(
        "requester", "Mark", "Thompson", "hmrc", Grade.SEO, J.PLANNING_AND_PERFORMANCE, R.NORTH_EAST,
        "Department requester for HMRC (and the Valuation Office Agency): raises surge requests.",
        roles=((Role.DEPARTMENT_REQUESTER, "hmrc"),),
    ),
    AccountSpec(
        "la.member", "Chloe", "Brennan", "manchester-city-council", Grade.EO, J.CUSTOMER_SERVICE, R.NORTH_WEST,
        "Local-authority member at Manchester City Council: shares ideas across the boundary.",
    ),
    AccountSpec(
        "partner.member", "Tomasz", "Nowak", "northgate-contact-services", Grade.AO, J.CUSTOMER_SERVICE,
        R.NORTH_EAST,
        "Private-partner member at an illustrative contact centre partner.",
    ),
)
# fmt: on

# Names for generated members: a fixed list so the demo is the same on every machine.
# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William",
    "James", "Leo", "Alfie", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander", "Joseph",
    "Samuel", "Daniel", "Callum", "Rhys", "Owen", "Liam", "Ryan", "Connor", "Mohammed", "Ahmed",
    "Arjun", "Rohan", "Kwame", "Tunde", "Marek", "Piotr", "Sean", "Ciaran", "Euan", "Dylan",
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Mia", "Poppy", "Ella",
    "Lily", "Evie", "Jessica", "Charlotte", "Ruby", "Chloe", "Sophia", "Freya", "Megan", "Hannah",
    "Lucy", "Holly", "Rebecca", "Sarah", "Laura", "Rachel", "Emma", "Nicola", "Claire", "Joanne",
    "Priya", "Aisha", "Fatima", "Amira", "Simran", "Chidinma", "Abena", "Agnieszka", "Siobhan", "Niamh",
    "Eilidh", "Cerys", "Carys", "Bethan", "Kerry", "Stephen", "Paul", "Andrew", "David", "Michael",
)

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
    "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
    "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
    "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
    "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
    "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
    "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham",
    "Ahmed", "Okoro", "Mensah", "Kaur", "Sharma", "Kowalski", "O'Brien", "MacDonald", "Reid", "Fraser",
)
# fmt: on
