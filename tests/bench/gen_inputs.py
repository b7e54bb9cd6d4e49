#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Deterministic parser inputs for `make bench`, written into OUTDIR:

  token.json      a token answer as the identity endpoint sends it
  members.json    a 100 KB page of GET /members (50 members, the $limit
                  maximum; fields as in OfficeRnD's Flex v2 member object)
  token.http, members.http   the same bodies as whole HTTP/1.1 responses
"""
import json
import random
import sys

out = sys.argv[1]
rng = random.Random(5)
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def hexid():
    return "".join(rng.choice("0123456789abcdef") for _ in range(24))


def word(n):
    return "".join(rng.choice(ALNUM) for _ in range(n))


def iso(day):
    return "2026-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        1 + day % 12, 1 + day % 28, rng.randrange(24), rng.randrange(60),
        rng.randrange(60), rng.randrange(1000))


FIRST = ["Ana", "Björn", "Chloé", "Dmitri", "Eşref", "Fatima", "Giulia", "Hiroshi",
         "Inès", "José", "Katarzyna", "Łukasz", "Maëlle", "Nikolaj", "Óscar", "Zoë"]
LAST = ["García", "Müller", "Novák", "O'Brien", "Søndergaard", "Yılmaz", "Dubois",
        "Kowalski", "Rossi", "Tanaka", "Smith", "Ivanović"]


def member(i):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = "%s %s" % (first, last)
    email = "%s.%s%d@example.com" % (first.lower(), last.lower(), i)
    email = email.encode("ascii", "ignore").decode().replace("'", "")
    return {
        "_id": hexid(),
        "name": name,
        "email": email,
        "phone": "+44 20 %04d %04d" % (rng.randrange(10000), rng.randrange(10000)),
        "description": "Member of the %s team, \"%s\" desk\nnotes: %s" % (
            word(8), word(5), " ".join(word(rng.randrange(3, 10)) for _ in range(75))),
        "company": hexid(),
        "team": hexid(),
        "location": hexid(),
        "status": rng.choice(["active", "contact", "former"]),
        "calculatedStatus": rng.choice(["active", "notActive", "pending"]),
        "startDate": iso(i),
        "endDate": None,
        "createdAt": iso(i + 3),
        "modifiedAt": iso(i + 7),
        "createdBy": hexid(),
        "modifiedBy": hexid(),
        "image": "https://cdn.example.com/members/%s/avatar-%s.png" % (hexid(), word(6)),
        "twitterHandle": "@" + word(9),
        "linkedin": "https://www.linkedin.com/in/" + word(12),
        "isContactPerson": rng.random() < 0.2,
        "isBillingPerson": rng.random() < 0.1,
        "isAdmin": False,
        "tags": [word(6) for _ in range(rng.randrange(0, 4))],
        "address": {"country": "United Kingdom", "state": "", "city": "London",
                    "zip": "EC%dA %dBB" % (rng.randrange(1, 9), rng.randrange(1, 9)),
                    "address": "%d %s Street" % (rng.randrange(1, 300), word(7))},
        "billingDetails": {"vatNumber": "GB%09d" % rng.randrange(10 ** 9),
                           "billingName": name, "billingEmail": email,
                           "paymentMethod": rng.choice(["card", "bankTransfer", "directDebit"])},
        "properties": {"badgeNumber": "%06d" % rng.randrange(10 ** 6),
                       "floorAccess": [rng.randrange(1, 12) for _ in range(3)],
                       "parkingSpot": None, "heightCm": round(150 + rng.random() * 50, 1),
                       "dietary": rng.choice(["none", "vegan", "vegetarian", "halal"])},
        "credits": {"balance": rng.randrange(-500, 5000) / 10, "currency": "GBP"},
        "contractIds": [hexid() for _ in range(rng.randrange(1, 3))],
        "membershipIds": [hexid() for _ in range(rng.randrange(1, 4))],
        "portalAccess": {"enabled": True, "lastLogin": iso(i + 11), "loginCount": rng.randrange(500)},
    }


members = [member(i) for i in range(50)]
page = {"results": members, "cursorNext": hexid(), "cursorPrev": None,
        "rangeStart": 0, "rangeEnd": 49}
body = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode()
token = {"access_token": ".".join(word(n) for n in (36, 700, 162)), "token_type": "Bearer",
         "expires_in": 3599, "scope": "flex.community.members.read flex.community.checkins.create"}
tbody = json.dumps(token, separators=(",", ":")).encode()


def http(b):
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
            b"Cache-Control: no-store\r\nPragma: no-cache\r\n"
            b"Date: Sun, 29 Nov 2026 04:00:00 GMT\r\nConnection: keep-alive\r\n"
            b"Content-Length: " + str(len(b)).encode() + b"\r\n\r\n" + b)


for name, data in (("token.json", tbody), ("members.json", body),
                   ("token.http", http(tbody)), ("members.http", http(body))):
    with open("%s/%s" % (out, name), "wb") as f:
        f.write(data)
