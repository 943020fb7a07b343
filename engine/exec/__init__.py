"""engine/exec"""
