"""engine/binary"""
