"""The review app's application keys, shared by the app and its views."""

from aiohttp import web

from bot.review.service import Review

REVIEW = web.AppKey("review", Review)
